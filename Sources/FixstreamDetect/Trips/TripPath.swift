import FixstreamGeo

#if canImport(Glibc)
    import Glibc
#endif

/// A polyline on a local plane (metres east and north of an origin) with the distance along it to every vertex:
/// where a vehicle is along its planned path, how far it is from it, how far it still has to go.
///
/// A uniform grid of the segments makes ``probe(latitude:longitude:from:radius:near:)`` cost a few cells per
/// fix whatever the route's length (a delivery route is tens of kilometres and thousands of points).
struct TripPath {
    private let originLatitude: Double
    private let originLongitude: Double
    private let metresPerDegreeLongitude: Double
    private var xs: [Double] = []
    private var ys: [Double] = []
    /// Distance along the path to each vertex, metres.
    private(set) var along: [Double] = []
    /// The segments by the grid cells they touch.
    private var cells = PlaneCells(cell: Self.cell, boxes: [])

    private static let metresPerDegree = 111_195.0
    /// Side of a grid cell, metres.
    private static let cell = 150.0

    /// A path through `points` (latitude, longitude), at least one.
    init(_ points: [(latitude: Double, longitude: Double)]) {
        originLatitude = points[0].latitude
        originLongitude = points[0].longitude
        metresPerDegreeLongitude = max(1, Self.metresPerDegree * cos(originLatitude * .pi / 180))
        var total = 0.0
        for point in points {
            let (x, y) = plane(point.latitude, point.longitude)
            if let lastX = xs.last, let lastY = ys.last {
                total += ((x - lastX) * (x - lastX) + (y - lastY) * (y - lastY)).squareRoot()
            }
            xs.append(x)
            ys.append(y)
            along.append(total)
        }
        var boxes: [(minX: Double, minY: Double, maxX: Double, maxY: Double)] = []
        for segment in 0 ..< max(0, xs.count - 1) {
            boxes.append(
                (
                    min(xs[segment], xs[segment + 1]), min(ys[segment], ys[segment + 1]),
                    max(xs[segment], xs[segment + 1]), max(ys[segment], ys[segment + 1])
                )
            )
        }
        cells = PlaneCells(cell: Self.cell, boxes: boxes)
    }

    /// The path's length, metres.
    var length: Double { along.last ?? 0 }

    func plane(_ latitude: Double, _ longitude: Double) -> (x: Double, y: Double) {
        ((longitude - originLongitude) * metresPerDegreeLongitude, (latitude - originLatitude) * Self.metresPerDegree)
    }

    /// What a fix says about a vehicle following the path from `from` metres along it on.
    struct Probe {
        /// Distance from the position to the nearest point of the path from `from` on; nil when none is within
        /// the radius asked for.
        var offset: Double?
        /// The first place along the path from `from` on that comes within `near` of the position: the nearest
        /// point of the earliest such stretch. Nil when none does.
        var firstNear: Double?
    }

    /// How far a position is from the path from `from` metres along it on (up to `radius`), and the first stretch
    /// from there that comes within `near` of it (a route that comes back along the same street is there twice:
    /// the first pass is the one a vehicle following it is on).
    func probe(latitude: Double, longitude: Double, from: Double, radius: Double, near: Double) -> Probe {
        let (px, py) = plane(latitude, longitude)
        guard xs.count > 1 else {
            let offset = ((px - xs[0]) * (px - xs[0]) + (py - ys[0]) * (py - ys[0])).squareRoot()
            return Probe(offset: offset <= radius ? offset : nil, firstNear: offset <= near ? 0 : nil)
        }
        var best = Double.infinity
        var first = Int.max
        cells.forEach(nearX: px, y: py, reach: Int((radius / Self.cell).rounded(.up))) { segment in
            guard along[segment + 1] >= from else { return }
            let distance = project(px, py, onto: segment).distance
            best = min(best, distance)
            if distance <= near { first = min(first, segment) }
        }
        var probe = Probe(offset: best <= radius ? best : nil)
        guard first != .max else { return probe }
        // The earliest stretch within `near`: its nearest point, over the consecutive segments still within.
        var nearest = project(px, py, onto: first)
        var segment = first + 1
        while segment < xs.count - 1 {
            let next = project(px, py, onto: segment)
            guard next.distance <= near else { break }
            if next.distance < nearest.distance { nearest = next }
            segment += 1
        }
        probe.firstNear = max(from, nearest.along)
        return probe
    }

    /// Distance from a position to the nearest point of the path from `from` metres along it on (a scan of the
    /// whole path: for the rare fix far from it).
    func distance(latitude: Double, longitude: Double, from: Double) -> Double {
        let (px, py) = plane(latitude, longitude)
        guard xs.count > 1 else { return ((px - xs[0]) * (px - xs[0]) + (py - ys[0]) * (py - ys[0])).squareRoot() }
        var best = Double.infinity
        for segment in 0 ..< xs.count - 1 where along[segment + 1] >= from {
            best = min(best, project(px, py, onto: segment).distance)
        }
        return best
    }

    /// Where each stop lies along the path, in order: the first stretch after the stop before that comes within
    /// `near` of the stop (its radius), else the first that comes within `near` of the nearest distance after it
    /// (a stop set back from a road the path passes twice is on the first pass, even where the second is a little
    /// nearer: the stops after it are searched from there on). A round trip starts and ends at the depot: the
    /// last stop is the end of the path, not its start.
    func stopPositions(_ stops: [(latitude: Double, longitude: Double, near: Double)]) -> [Double] {
        guard xs.count > 1 else { return stops.map { _ in 0 } }
        var previous = 0.0
        return stops.map { stop in
            let (px, py) = plane(stop.latitude, stop.longitude)
            /// The nearest point of the first stretch from `previous` on within `limit` of the stop, and the
            /// nearest distance from `previous` on (when no stretch is within).
            func first(within limit: Double) -> (along: Double?, nearest: Double) {
                var nearest = Double.infinity
                var found: (along: Double, distance: Double)?
                for segment in 0 ..< xs.count - 1 where along[segment + 1] >= previous {
                    let point = project(px, py, onto: segment, notBefore: previous)
                    nearest = min(nearest, point.distance)
                    if point.distance <= limit {
                        if let found, point.distance >= found.distance { break }
                        found = point
                    } else if found != nil {
                        break
                    }
                }
                return (found?.along, nearest)
            }
            let near = first(within: stop.near)
            previous = near.along ?? first(within: near.nearest + stop.near).along ?? previous
            return previous
        }
    }

    // MARK: - Internals

    /// The nearest point of `segment` (from `notBefore` metres along the path on) to (px, py): its distance along
    /// the path and from the position.
    private func project(
        _ px: Double,
        _ py: Double,
        onto segment: Int,
        notBefore: Double = 0
    ) -> (along: Double, distance: Double) {
        let ax = xs[segment]
        let ay = ys[segment]
        let dx = xs[segment + 1] - ax
        let dy = ys[segment + 1] - ay
        let squared = dx * dx + dy * dy
        let length = along[segment + 1] - along[segment]
        let start = length > 0 ? min(1, max(0, (notBefore - along[segment]) / length)) : 0
        var t = squared > 0 ? ((px - ax) * dx + (py - ay) * dy) / squared : 0
        t = min(1, max(start, t))
        let qx = ax + t * dx - px
        let qy = ay + t * dy - py
        return (along[segment] + t * (along[segment + 1] - along[segment]), (qx * qx + qy * qy).squareRoot())
    }
}
