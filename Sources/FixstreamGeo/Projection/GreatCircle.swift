#if canImport(Glibc)
    import Glibc
#endif

/// Distances on the Earth treated as a sphere of the WGS 84 mean radius.
///
/// Accurate to about 0.5 % anywhere, and far better over the short ranges a vehicle covers between two fixes:
/// enough for plausibility checks and radii. Planar projections for heavy geometry arrive with the fences.
public enum GreatCircle {
    /// Mean Earth radius (IUGG), metres.
    public static let earthRadius = 6_371_008.8

    /// Haversine distance in metres between two positions given in degrees.
    public static func distance(
        latitude1: Double,
        longitude1: Double,
        latitude2: Double,
        longitude2: Double
    ) -> Double {
        let radians = Double.pi / 180
        let phi1 = latitude1 * radians
        let phi2 = latitude2 * radians
        let dPhi = phi2 - phi1
        let dLambda = (longitude2 - longitude1) * radians
        let sinPhi = sin(dPhi / 2)
        let sinLambda = sin(dLambda / 2)
        let h = sinPhi * sinPhi + cos(phi1) * cos(phi2) * sinLambda * sinLambda
        return 2 * earthRadius * asin(min(1, h.squareRoot()))
    }

    /// Equirectangular distance in metres: one cosine instead of haversine's five trigonometric calls. Within
    /// 0.1 % of ``distance(latitude1:longitude1:latitude2:longitude2:)`` up to about 100 km away from the poles;
    /// meant for the many short distances a pipeline checks per fix (jumps, segment lengths).
    public static func shortDistance(
        latitude1: Double,
        longitude1: Double,
        latitude2: Double,
        longitude2: Double
    ) -> Double {
        let radians = Double.pi / 180
        let x = (longitude2 - longitude1) * radians * cos((latitude1 + latitude2) * 0.5 * radians)
        let y = (latitude2 - latitude1) * radians
        return earthRadius * (x * x + y * y).squareRoot()
    }
}
