/// A path to a target road position kept by a vehicle on its way there, with the travel time and distance left
/// from every edge of it: as the vehicle advances, its remaining time is a lookup and a subtraction, with no
/// search.
///
/// Filled from a ``FastestPathSearch`` result; the arrays keep their capacity when it is replaced, so a vehicle
/// re-planning its way allocates nothing once they are large enough.
public struct RoadLeg: Sendable {
    /// The edges from the start's edge to the target's, in driving order.
    public private(set) var edges: [Int32] = []
    /// Seconds from the tail of each edge to the target.
    private var secondsLeft: [Double] = []
    /// Metres from the tail of each edge to the target.
    private var metresLeft: [Double] = []
    /// The index of the edge the vehicle was last found on.
    public private(set) var current = 0

    /// An empty leg.
    public init() {}

    /// Whether the leg holds no path.
    public var isEmpty: Bool { edges.isEmpty }

    /// Forgets the path (keeping the arrays' capacity).
    public mutating func clear() {
        edges.removeAll(keepingCapacity: true)
        secondsLeft.removeAll(keepingCapacity: true)
        metresLeft.removeAll(keepingCapacity: true)
        current = 0
    }

    /// Replaces the leg with `path` (edges in driving order, at least one) ending `targetOffset` metres along its
    /// last edge.
    public mutating func set(path: some Collection<Int32>, targetOffset: Double, graph: RoadGraph) {
        clear()
        edges.append(contentsOf: path)
        guard let last = edges.last else { return }
        secondsLeft.append(contentsOf: repeatElement(0, count: edges.count))
        metresLeft.append(contentsOf: repeatElement(0, count: edges.count))
        secondsLeft[edges.count - 1] = targetOffset / graph.speed(Int(last))
        metresLeft[edges.count - 1] = targetOffset
        var index = edges.count - 2
        while index >= 0 {
            let edge = Int(edges[index])
            let length = graph.length(edge)
            secondsLeft[index] = secondsLeft[index + 1] + length / graph.speed(edge)
            metresLeft[index] = metresLeft[index + 1] + length
            index -= 1
        }
    }

    /// The time and distance left to the target from `offset` metres along `edge`, when `edge` is on the leg
    /// within `lookahead` edges after the one the vehicle was last found on (it then becomes that edge); nil when
    /// the vehicle has left the leg. Zero once past the target on its edge.
    /// - Complexity: O(lookahead).
    public mutating func remaining(
        edge: Int32,
        offset: Double,
        graph: RoadGraph,
        lookahead: Int = 64
    ) -> (seconds: Double, metres: Double)? {
        guard !edges.isEmpty else { return nil }
        let end = min(edges.count, current + lookahead + 1)
        var index = current
        while index < end && edges[index] != edge { index += 1 }
        guard index < end else { return nil }
        current = index
        let driven = max(0, offset)
        return (
            max(0, secondsLeft[index] - driven / graph.speed(Int(edge))),
            max(0, metresLeft[index] - driven)
        )
    }
}
