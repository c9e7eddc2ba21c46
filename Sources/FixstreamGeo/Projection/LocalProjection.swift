#if canImport(Glibc)
    import Glibc
#endif

/// An equirectangular projection to metres on the plane tangent at a reference position.
///
/// `x` points east and `y` north, in metres from the reference. The scales are the WGS 84 ellipsoid's at the
/// reference latitude (meridional radius for `y`, prime vertical radius times cos φ for `x`), so distances within
/// a few kilometres of the reference are exact to well under 0.1 % and within tens of kilometres to about 0.3 %
/// (the east scale drifts with cos φ away from the reference latitude). Longitude differences are wrapped to
/// [-180°, 180°), so positions just across the antimeridian from the reference project next to it.
///
/// The map is affine in (latitude, longitude) within ±180° of the reference longitude: straight lines in degrees
/// stay straight, and which side of an edge a point lies on is the same in degrees and in metres.
struct LocalProjection: Sendable {
    /// Reference latitude, degrees.
    let latitude: Double
    /// Reference longitude, degrees.
    let longitude: Double
    /// Metres per degree of latitude at the reference.
    let metresPerDegreeLatitude: Double
    /// Metres per degree of longitude at the reference.
    let metresPerDegreeLongitude: Double

    /// WGS 84 semi-major axis, metres.
    static let semiMajorAxis = 6_378_137.0
    /// WGS 84 first eccentricity squared.
    static let eccentricitySquared = 0.006_694_379_990_14

    init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
        let scales = Self.metresPerDegree(atLatitude: latitude)
        metresPerDegreeLatitude = scales.latitude
        metresPerDegreeLongitude = scales.longitude
    }

    /// Metres per degree of latitude and of longitude at `latitude` on the WGS 84 ellipsoid. The longitude scale
    /// is kept above 1 m per degree so that positions at the poles stay finite.
    static func metresPerDegree(atLatitude latitude: Double) -> (latitude: Double, longitude: Double) {
        let phi = latitude * .pi / 180
        let sinPhi = sin(phi)
        let w = 1 - eccentricitySquared * sinPhi * sinPhi
        let meridional = semiMajorAxis * (1 - eccentricitySquared) / (w * w.squareRoot())
        let primeVertical = semiMajorAxis / w.squareRoot()
        let radians = Double.pi / 180
        return (meridional * radians, max(1, primeVertical * cos(phi) * radians))
    }

    /// The position in metres east (`x`) and north (`y`) of the reference.
    @inline(__always)
    func project(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
        var deltaLongitude = longitude - self.longitude
        if deltaLongitude >= 180 {
            deltaLongitude -= 360
        } else if deltaLongitude < -180 {
            deltaLongitude += 360
        }
        return (deltaLongitude * metresPerDegreeLongitude, (latitude - self.latitude) * metresPerDegreeLatitude)
    }

    /// The position `x` metres east and `y` metres north of the reference, in degrees (inverse of `project`).
    func unproject(x: Double, y: Double) -> (latitude: Double, longitude: Double) {
        (latitude + y / metresPerDegreeLatitude, longitude + x / metresPerDegreeLongitude)
    }
}
