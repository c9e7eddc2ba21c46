import FixstreamGeo

/// Short distances between shape points, the same way the builder measured edge lengths.
enum GreatCircleLength {
    @inline(__always)
    static func metres(_ a: Coordinate, _ b: Coordinate) -> Double {
        GreatCircle.shortDistance(
            latitude1: a.latitude,
            longitude1: a.longitude,
            latitude2: b.latitude,
            longitude2: b.longitude
        )
    }
}
