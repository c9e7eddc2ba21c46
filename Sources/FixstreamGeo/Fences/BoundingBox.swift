/// A latitude/longitude rectangle in degrees, edges included. Never crosses the antimeridian
/// (`minLongitude <= maxLongitude`).
public struct BoundingBox: Hashable, Sendable {
    /// Southern edge, degrees.
    public var minLatitude: Double
    /// Western edge, degrees.
    public var minLongitude: Double
    /// Northern edge, degrees.
    public var maxLatitude: Double
    /// Eastern edge, degrees.
    public var maxLongitude: Double

    /// Creates a box from its edges.
    public init(minLatitude: Double, minLongitude: Double, maxLatitude: Double, maxLongitude: Double) {
        self.minLatitude = minLatitude
        self.minLongitude = minLongitude
        self.maxLatitude = maxLatitude
        self.maxLongitude = maxLongitude
    }

    /// Whether the position lies in the box (edges included).
    public func contains(latitude: Double, longitude: Double) -> Bool {
        latitude >= minLatitude && latitude <= maxLatitude && longitude >= minLongitude && longitude <= maxLongitude
    }

    /// The smallest box holding every coordinate (`nil` for none).
    static func enclosing(_ coordinates: some Sequence<Coordinate>) -> BoundingBox? {
        var box: BoundingBox?
        for c in coordinates {
            if var current = box {
                current.minLatitude = min(current.minLatitude, c.latitude)
                current.maxLatitude = max(current.maxLatitude, c.latitude)
                current.minLongitude = min(current.minLongitude, c.longitude)
                current.maxLongitude = max(current.maxLongitude, c.longitude)
                box = current
            } else {
                box = BoundingBox(
                    minLatitude: c.latitude,
                    minLongitude: c.longitude,
                    maxLatitude: c.latitude,
                    maxLongitude: c.longitude
                )
            }
        }
        return box
    }
}
