import FixstreamEval
import FixstreamGeo

/// The fences (all circles) on the plane with a grid, shared by every vehicle's visit tracker.
final class FenceSet: Sendable {
    struct Circle: Sendable {
        var id: String
        var centre: PlanePoint
        var radius: Double
        var hysteresis: Double
        var dwell: Int64?
    }

    let circles: [Circle]
    let grid: PlaneCells

    init(_ circles: [Circle]) {
        self.circles = circles
        grid = PlaneCells(
            cell: 100,
            boxes: circles.map { circle in
                let reach = circle.radius + circle.hysteresis + 1
                return (
                    circle.centre.x - reach, circle.centre.y - reach, circle.centre.x + reach, circle.centre.y + reach
                )
            }
        )
    }
}

/// Follows one vehicle's true position through the fences: a visit is a stay deeper than `-hysteresis` (the zone
/// from which the detector does not yet call the vehicle out); it is entered when first deeper than
/// `+hysteresis`. Visits that never go deeper than `hysteresis - 10` are not recorded: no detector should see
/// them.
struct FenceVisits {
    private struct Open {
        var fence: Int
        var enter: Double?
        var maxDepth: Double
        var deepest: Double
    }

    private var open: [Open] = []
    private(set) var visits: [(fence: Int, enter: Double?, exit: Double?, maxDepth: Double, deepest: Double)] = []

    /// Takes the vehicle's position at `time` (seconds since the start).
    mutating func observe(_ point: PlanePoint, at time: Double, fences: FenceSet) {
        var index = 0
        while index < open.count {
            let circle = fences.circles[open[index].fence]
            let depth = circle.radius - point.distance(to: circle.centre)
            if depth <= -circle.hysteresis {
                close(index, at: time, fences: fences)
                continue
            }
            if depth > open[index].maxDepth {
                open[index].maxDepth = depth
                open[index].deepest = time
            }
            if open[index].enter == nil && depth > circle.hysteresis { open[index].enter = time }
            index += 1
        }
        let open = self.open
        fences.grid.forEach(nearX: point.x, y: point.y, reach: 0) { fence in
            guard !open.contains(where: { $0.fence == fence }) else { return }
            let circle = fences.circles[fence]
            let depth = circle.radius - point.distance(to: circle.centre)
            guard depth > -circle.hysteresis else { return }
            self.open.append(
                Open(fence: fence, enter: depth > circle.hysteresis ? time : nil, maxDepth: depth, deepest: time)
            )
        }
    }

    private mutating func close(_ index: Int, at time: Double?, fences: FenceSet) {
        let visit = open.remove(at: index)
        let circle = fences.circles[visit.fence]
        if visit.maxDepth > circle.hysteresis - 10 {
            visits.append((visit.fence, visit.enter, time, visit.maxDepth, visit.deepest))
        }
    }

    /// Ends the visits still open when the tracker goes off (no exit).
    mutating func finish(fences: FenceSet) {
        while !open.isEmpty { close(0, at: nil, fences: fences) }
    }
}
