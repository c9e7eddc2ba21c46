#if canImport(Glibc)
    import Glibc
#endif

/// A polyline on a local plane (metres east and north of an origin) with the distance along it to every vertex:
/// where a vehicle is along its planned path, how far it is from it, how far it still has to go.
struct TripPath {
    private let originLatitude: Double
    private let originLongitude: Double
    private let metresPerDegreeLongitude: Double
    private var xs: [Double] = []
    private var ys: [Double] = []
    /// Distance along the path to each vertex, metres.
    private(set) var along: [Double] = []

    private static let metresPerDegree = 111_195.0

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
    }

    /// The path's length, metres.
    var length: Double { along.last ?? 0 }

    func plane(_ latitude: Double, _ longitude: Double) -> (x: Double, y: Double) {
        ((longitude - originLongitude) * metresPerDegreeLongitude, (latitude - originLatitude) * Self.metresPerDegree)
    }

    /// The nearest point of the path to a position, looking only between `from` and `to` metres along it (so a
    /// vehicle is not teleported to a parallel stretch of its own route): distance along the path, and how far
    /// the position is from it. With `first` (metres), the earliest stretch that comes within `first` of the
    /// position wins over nearer ones further along (a route that comes back along the same street).
    func locate(
        latitude: Double,
        longitude: Double,
        from: Double,
        to: Double,
        preferringFirstWithin first: Double = 0
    ) -> (along: Double, offset: Double) {
        let (px, py) = plane(latitude, longitude)
        guard xs.count > 1 else {
            return (0, ((px - xs[0]) * (px - xs[0]) + (py - ys[0]) * (py - ys[0])).squareRoot())
        }
        var best = (along: 0.0, offset: Double.infinity)
        // The first segment reaching `from` (binary search: a long route is not scanned from its start every fix).
        var low = 0
        var high = xs.count - 1
        while low < high {
            let middle = (low + high) / 2
            if along[middle + 1] < from { low = middle + 1 } else { high = middle }
        }
        for segment in low ..< xs.count - 1 {
            if along[segment] > to { break }
            let ax = xs[segment]
            let ay = ys[segment]
            let dx = xs[segment + 1] - ax
            let dy = ys[segment + 1] - ay
            let squared = dx * dx + dy * dy
            var t = squared > 0 ? ((px - ax) * dx + (py - ay) * dy) / squared : 0
            t = min(1, max(0, t))
            let qx = ax + t * dx - px
            let qy = ay + t * dy - py
            let offset = (qx * qx + qy * qy).squareRoot()
            if offset < best.offset {
                best = (along[segment] + t * (along[segment + 1] - along[segment]), offset)
            }
            // Within `first` of the position: the earliest such stretch wins once its nearest point is found
            // (the stretch's next segments may still come closer).
            if best.offset <= first && offset > first { break }
        }
        if best.offset == .infinity {
            return locate(latitude: latitude, longitude: longitude, from: 0, to: .infinity)
        }
        return best
    }

    /// Distance along the path of the point nearest to a position anywhere on the path.
    func along(latitude: Double, longitude: Double) -> Double {
        locate(latitude: latitude, longitude: longitude, from: 0, to: .infinity).along
    }
}
