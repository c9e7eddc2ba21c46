/// A position in degrees on WGS 84: latitude north positive, longitude east positive.
///
/// Note the order: GeoJSON writes positions as `[longitude, latitude]`; this type names both explicitly.
public struct Coordinate: Hashable, Sendable {
    /// Latitude in degrees, -90...90.
    public var latitude: Double
    /// Longitude in degrees, -180...180.
    public var longitude: Double

    /// Creates a position from degrees.
    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Whether both values are finite and in range (latitude -90...90, longitude -180...180).
    public var isValid: Bool {
        latitude.isFinite && longitude.isFinite && abs(latitude) <= 90 && abs(longitude) <= 180
    }
}
