#if canImport(Glibc)
    import Glibc
#endif

/// A path to drive: a polyline on the plane with the distance along it to each point, the road speed of each
/// stretch and the junctions on the way.
struct DrivePath: Sendable {
    /// A junction passed through: where along the path, how sharply the path turns there, and how many roads meet.
    struct Junction: Sendable {
        var along: Double
        var turn: Double
        var degree: Int
    }

    private(set) var points: [PlanePoint] = []
    private(set) var along: [Double] = []
    /// Road speed from each `start` on, metres per second.
    private(set) var speeds: [(start: Double, speed: Double)] = []
    private(set) var junctions: [Junction] = []
    /// Which edge the path is on from each `start` on, and the offset along that edge there.
    private(set) var edges: [(start: Double, edge: Int, offset: Double)] = []

    /// The path's length, metres.
    var length: Double { along.last ?? 0 }

    /// An empty path.
    init() {}

    /// A path standing at one point.
    init(at point: PlanePoint) {
        points = [point]
        along = [0]
    }

    /// Adds a stretch of road: `stretch` points (the first may repeat the current end), at `speed`;
    /// `junctionDegree` is the number of roads meeting at the node between the current end and this stretch.
    mutating func append(_ stretch: [PlanePoint], speed: Double, junctionDegree: Int?, edge: Int, offset: Double) {
        guard !stretch.isEmpty else { return }
        let start = length
        edges.append((start, edge, offset))
        let incoming = points.count >= 2 ? Self.unit(points[points.count - 2], points[points.count - 1]) : nil
        var first = true
        for point in stretch {
            guard let last = points.last else {
                points.append(point)
                along.append(0)
                continue
            }
            let step = last.distance(to: point)
            if step < 0.01 { continue }
            if first, let degree = junctionDegree, let incoming {
                junctions.append(
                    Junction(along: start, turn: Self.turn(incoming, Self.unit(last, point)), degree: degree)
                )
            }
            first = false
            points.append(point)
            along.append(along[along.count - 1] + step)
        }
        if speeds.last?.speed != speed { speeds.append((start, speed)) }
    }

    /// Appends another path, which starts where this one ends; `junctionDegree` is the number of roads meeting
    /// where they join (nil when they join mid-road).
    mutating func append(_ other: DrivePath, junctionDegree: Int?) {
        let start = length
        if let degree = junctionDegree, points.count >= 2, other.points.count >= 2 {
            let incoming = Self.unit(points[points.count - 2], points[points.count - 1])
            let outgoing = Self.unit(other.points[0], other.points[1])
            junctions.append(Junction(along: start, turn: Self.turn(incoming, outgoing), degree: degree))
        }
        for index in other.points.indices {
            if index == 0 && !points.isEmpty { continue }
            points.append(other.points[index])
            along.append(start + other.along[index])
        }
        for (from, speed) in other.speeds where speeds.last?.speed != speed {
            speeds.append((start + from, speed))
        }
        for junction in other.junctions {
            junctions.append(Junction(along: start + junction.along, turn: junction.turn, degree: junction.degree))
        }
        for piece in other.edges { edges.append((start + piece.start, piece.edge, piece.offset)) }
    }

    /// The road spot `s` metres along the path.
    func spot(at s: Double) -> RoadSpot? {
        guard var current = edges.first else { return nil }
        for piece in edges {
            if piece.start > s { break }
            current = piece
        }
        return RoadSpot(edge: current.edge, offset: current.offset + (s - current.start))
    }

    /// The part of the path from `from` to `to` metres along it.
    func slice(from: Double, to: Double) -> DrivePath {
        var slice = DrivePath()
        let from = max(0, min(from, length))
        let to = max(from, min(to, length))
        slice.points.append(position(at: from))
        slice.along.append(0)
        for index in points.indices where along[index] > from && along[index] < to {
            slice.points.append(points[index])
            slice.along.append(along[index] - from)
        }
        let end = position(at: to)
        if let last = slice.points.last, last.distance(to: end) >= 0.01 || slice.points.count == 1 {
            slice.points.append(end)
            slice.along.append(to - from)
        }
        for (index, stretch) in speeds.enumerated() {
            let next = index + 1 < speeds.count ? speeds[index + 1].start : .infinity
            guard next > from, stretch.start < to else { continue }
            slice.speeds.append((max(0, stretch.start - from), stretch.speed))
        }
        for junction in junctions where junction.along > from && junction.along < to {
            slice.junctions.append(Junction(along: junction.along - from, turn: junction.turn, degree: junction.degree))
        }
        for (index, piece) in edges.enumerated() {
            let next = index + 1 < edges.count ? edges[index + 1].start : .infinity
            guard next > from, piece.start < to else { continue }
            let start = max(piece.start, from)
            slice.edges.append((start - from, piece.edge, piece.offset + (start - piece.start)))
        }
        return slice
    }

    /// The index of the last point at or before `s`.
    @inline(__always)
    func segment(at s: Double) -> Int {
        var low = 0
        var high = along.count - 1
        if high <= 0 { return 0 }
        if s >= along[high] { return high - 1 }
        while high - low > 1 {
            let middle = (low + high) / 2
            if along[middle] <= s { low = middle } else { high = middle }
        }
        return low
    }

    /// The point `s` metres along the path.
    @inline(__always)
    func position(at s: Double) -> PlanePoint {
        guard points.count > 1 else { return points.first ?? PlanePoint(x: 0, y: 0) }
        let index = segment(at: s)
        let span = along[index + 1] - along[index]
        let fraction = span > 0 ? (max(along[index], min(s, along[index + 1])) - along[index]) / span : 0
        return points[index].interpolated(to: points[index + 1], fraction)
    }

    /// The direction of travel `s` metres along the path, as a unit vector.
    func direction(at s: Double) -> PlanePoint {
        guard points.count > 1 else { return PlanePoint(x: 1, y: 0) }
        let index = segment(at: s)
        return Self.unit(points[index], points[index + 1])
    }

    /// The road speed `s` metres along the path.
    func speed(at s: Double) -> Double {
        var result = speeds.first?.speed ?? 8
        for stretch in speeds {
            if stretch.start > s { break }
            result = stretch.speed
        }
        return result
    }

    /// The smallest distance from `point` to the path, and where along the path it is.
    func nearest(to point: PlanePoint) -> (distance: Double, along: Double) {
        var best = (distance: Double.infinity, along: 0.0)
        guard points.count > 1 else { return (points.first.map { $0.distance(to: point) } ?? .infinity, 0) }
        for index in 0 ..< points.count - 1 {
            let distance = point.distance(toSegmentFrom: points[index], to: points[index + 1])
            if distance < best.distance { best = (distance, along[index]) }
        }
        return best
    }

    /// The angle between two unit directions, radians (0: straight on, π: a U-turn).
    static func turn(_ a: PlanePoint, _ b: PlanePoint) -> Double {
        acos(max(-1, min(1, a.x * b.x + a.y * b.y)))
    }

    static func unit(_ a: PlanePoint, _ b: PlanePoint) -> PlanePoint {
        let length = a.distance(to: b)
        return length > 0 ? PlanePoint(x: (b.x - a.x) / length, y: (b.y - a.y) / length) : PlanePoint(x: 1, y: 0)
    }
}
