import FixstreamGeo

/// Follows one vehicle's true distance from its planned route while the trip is under way, and records each
/// stretch beyond the deviation distance: from the first moment farther than it to the first moment back within
/// 80 % of it (the detector's own hysteresis), with the largest distance and the last moment more than 15 m
/// beyond it.
///
/// The route that counts is the part still ahead: from 200 m behind the vehicle's progress along it on. Progress
/// is exact while the vehicle drives the planned route itself; off it, progress moves on to the first stretch of the
/// route ahead that the vehicle comes within 20 m of (a skip or a detour rejoining), unless that stretch lies past
/// the route's point of the stop the vehicle drives to (a detour that crosses a later stretch of the route has not
/// come that far along it). A vehicle back on a stretch it already drove is off its route, as it is for a follower watching where the
/// vehicle should be going.
struct RouteOffsets {
    /// The distances are capped here, metres.
    static let cap = 200.0

    private let route: [PlanePoint]
    /// Distance along the route to each point.
    private let along: [Double]
    private let grid: PlaneCells
    /// How far along the route the vehicle has come.
    private var progress = 0.0
    let threshold: Double

    private var start: Double?
    private var maxOffset = 0.0
    private var lastClearlyOff: Double?
    private var cause = "route"
    private(set) var detours:
        [(start: Double, end: Double?, maxOffset: Double, lastClearlyOff: Double?, cause: String)] = []

    init(route: [PlanePoint], threshold: Double) {
        self.route = route
        self.threshold = threshold
        var along = [0.0]
        for index in route.indices.dropFirst() {
            along.append(along[index - 1] + route[index - 1].distance(to: route[index]))
        }
        self.along = along
        var boxes: [(minX: Double, minY: Double, maxX: Double, maxY: Double)] = []
        for index in route.indices.dropLast() {
            let a = route[index]
            let b = route[index + 1]
            boxes.append((min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y)))
        }
        if route.count == 1 { boxes.append((route[0].x, route[0].y, route[0].x, route[0].y)) }
        grid = PlaneCells(cell: 100, boxes: boxes)
    }

    /// The distance from `point` to the route ahead of `from` metres along it (capped at ``cap``), and the first
    /// place along the route ahead within `near` metres of the point, if any.
    func offset(_ point: PlanePoint, from: Double, near: Double) -> (distance: Double, firstNear: Double?) {
        var best = Self.cap
        var firstNear: Double?
        guard route.count > 1 else { return (route.first.map { point.distance(to: $0) } ?? Self.cap, nil) }
        for reach in [1, 2] {
            grid.forEach(nearX: point.x, y: point.y, reach: reach) { segment in
                guard along[segment + 1] >= from else { return }
                let distance = point.distance(toSegmentFrom: route[segment], to: route[segment + 1])
                best = min(best, distance)
                if distance < near && along[segment] < (firstNear ?? .infinity) { firstNear = along[segment] }
            }
            if best <= 100 { break }
        }
        return (best, firstNear)
    }

    /// Takes the vehicle's position at `time` while the trip is under way: `routeAlong` when it is on the planned
    /// route itself, else `cause` says why it may be off and `limit` is the farthest along the route it can be.
    mutating func observe(_ point: PlanePoint, at time: Double, routeAlong: Double?, limit: Double, cause: String?) {
        var distance = 0.0
        if let routeAlong {
            progress = max(progress, routeAlong)
        } else {
            // Off the planned path: progress moves to the first stretch of the route ahead the vehicle is on (not
            // the nearest: a route that comes back along the same street is there twice).
            let nearest = offset(point, from: progress - 200, near: 20)
            distance = nearest.distance
            if let ahead = nearest.firstNear, ahead <= limit { progress = max(progress, ahead) }
        }
        if distance > threshold {
            if start == nil {
                start = time
                maxOffset = 0
                lastClearlyOff = nil
                self.cause = cause ?? "route"
            }
            maxOffset = max(maxOffset, distance)
            if distance > threshold + 15 { lastClearlyOff = time }
        } else if distance <= 0.8 * threshold, let begun = start {
            detours.append((begun, time, maxOffset, lastClearlyOff, self.cause))
            start = nil
        } else if start != nil {
            maxOffset = max(maxOffset, distance)
        }
    }

    /// Ends a stretch still open when the trip stops being watched (no end).
    mutating func finish() {
        if let begun = start { detours.append((begun, nil, maxOffset, lastClearlyOff, cause)) }
        start = nil
    }
}
