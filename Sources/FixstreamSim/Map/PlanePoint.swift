#if canImport(Glibc)
    import Glibc
#endif

/// A point on the simulation's plane: metres east (`x`) and north (`y`) of the city's centre.
struct PlanePoint: Sendable, Equatable {
    var x: Double
    var y: Double

    /// Straight-line distance to `other`, metres.
    @inline(__always)
    func distance(to other: PlanePoint) -> Double {
        let dx = other.x - x
        let dy = other.y - y
        return (dx * dx + dy * dy).squareRoot()
    }

    /// The point `fraction` of the way to `other`.
    @inline(__always)
    func interpolated(to other: PlanePoint, _ fraction: Double) -> PlanePoint {
        PlanePoint(x: x + (other.x - x) * fraction, y: y + (other.y - y) * fraction)
    }

    /// Distance from this point to the segment from `a` to `b`.
    @inline(__always)
    func distance(toSegmentFrom a: PlanePoint, to b: PlanePoint) -> Double {
        let dx = b.x - a.x
        let dy = b.y - a.y
        let squared = dx * dx + dy * dy
        var t = squared > 0 ? ((x - a.x) * dx + (y - a.y) * dy) / squared : 0
        t = max(0, min(1, t))
        let px = a.x + t * dx - x
        let py = a.y + t * dy - y
        return (px * px + py * py).squareRoot()
    }
}
