/// Follows one vehicle's true distance from its planned route while the trip is under way, and records each
/// stretch beyond the deviation distance: from the first moment farther than it to the first moment back within
/// 80 % of it (the detector's own hysteresis), with the largest distance and the last moment more than 15 m
/// beyond it.
struct RouteOffsets {
    /// The distances are capped here, metres.
    static let cap = 200.0

    private let route: [PlanePoint]
    private let grid: PlaneGrid
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
        var boxes: [(min: PlanePoint, max: PlanePoint)] = []
        for index in route.indices.dropLast() {
            let a = route[index]
            let b = route[index + 1]
            boxes.append(
                (PlanePoint(x: min(a.x, b.x), y: min(a.y, b.y)), PlanePoint(x: max(a.x, b.x), y: max(a.y, b.y)))
            )
        }
        if route.count == 1 { boxes.append((route[0], route[0])) }
        grid = PlaneGrid(cell: 100, boxes: boxes)
    }

    /// The distance from `point` to the route, capped at ``cap``.
    func offset(_ point: PlanePoint) -> Double {
        var best = Self.cap
        for reach in [1, 2] {
            grid.forEach(near: point, reach: reach) { segment in
                let distance =
                    route.count == 1
                    ? point.distance(to: route[0])
                    : point.distance(toSegmentFrom: route[segment], to: route[segment + 1])
                if distance < best { best = distance }
            }
            if best <= 100 { break }
        }
        return best
    }

    /// Takes the vehicle's position at `time` while the trip is under way; `cause` says why it may be off.
    mutating func observe(_ point: PlanePoint, at time: Double, cause: String?) {
        let distance = offset(point)
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
