/// Shortest or fastest paths from one node, bounded by a distance: Dijkstra with reusable scratch memory.
///
/// Paths are chosen by ``Weight`` (length, or travel time at each edge's speed); either way the search stops at
/// paths longer than its bound in metres, and ``distance(to:)`` is the chosen path's length.
///
/// One instance per thread (a shard, a matcher): the per-node arrays are allocated once for the graph and reset
/// in O(1) per search with a generation stamp, and the heap keeps its capacity, so a search allocates nothing.
public final class RouteSearch {
    /// What a path costs.
    public enum Weight: Sendable {
        /// Its length: the shortest path.
        case length
        /// Its travel time at the edges' speeds: the fastest path, the one a driver takes.
        case time
    }

    /// The graph searched.
    public let graph: RoadGraph
    /// How paths are chosen.
    public let weight: Weight
    private var scratch: DijkstraScratch
    /// Nodes settled by the last search (for tests and benchmarks).
    public private(set) var settledCount = 0

    /// Scratch for `graph`, choosing paths by `weight`.
    public init(graph: RoadGraph, weight: Weight = .length) {
        self.graph = graph
        self.weight = weight
        scratch = DijkstraScratch(nodeCount: graph.nodeCount)
    }

    /// Searches from `source` until every node of `targets` is settled or nothing closer than `bound` metres is
    /// left. Afterwards ``distance(to:)`` and ``path(to:into:)`` answer for every node settled.
    /// - Parameters:
    ///   - targets: nodes whose distances are wanted (may repeat); an empty list searches the whole bound.
    ///   - avoiding: an edge the search may not take first from the source (a U-turn's twin), or -1.
    public func search(from source: Int, bound: Double, targets: UnsafeBufferPointer<Int32>, avoiding: Int32 = -1) {
        scratch.reset()
        settledCount = 0
        var remaining = 0
        // Targets are stamped with infinite cost until reached; a repeated target is counted once.
        for target in targets where !scratch.isReached(Int(target)) {
            scratch.stampUnreached(Int(target))
            remaining += 1
        }
        scratch.reach(source, 0, 0, via: -1)
        while let (cost, node) = scratch.popMinimum() {
            let index = Int(node)
            if scratch.isSettled(index) || cost > scratch.costs[index] { continue }
            scratch.settle(index)
            settledCount += 1
            if isTarget(index, targets) {
                remaining -= 1
                if remaining == 0 && !targets.isEmpty { return }
            }
            let distance = scratch.distances[index]
            for edge in graph.outgoing(index) where edge != Int(avoiding) || index != source {
                let length = graph.length(edge)
                let next = distance + length
                guard next <= bound else { continue }
                let step = weight == .length ? length : length / graph.speed(edge)
                scratch.reach(graph.head(edge), cost + step, next, via: Int32(edge))
            }
        }
    }

    /// The length of the chosen path from the last search's source to `node`, metres, if the search settled it.
    @inline(__always)
    public func distance(to node: Int) -> Double? {
        scratch.isSettled(node) ? scratch.distances[node] : nil
    }

    /// The cost of the chosen path to `node` (metres or seconds, by ``weight``), if the search settled it.
    @inline(__always)
    public func cost(to node: Int) -> Double? {
        scratch.isSettled(node) ? scratch.costs[node] : nil
    }

    /// Appends the edges of the shortest path from the last search's source to `node` (in driving order) to
    /// `edges`; appends nothing when `node` is the source or was not settled.
    public func path(to node: Int, into edges: inout [Int32]) {
        guard scratch.isSettled(node) else { return }
        scratch.appendPath(to: node, in: graph, into: &edges)
    }

    @inline(__always)
    private func isTarget(_ node: Int, _ targets: UnsafeBufferPointer<Int32>) -> Bool {
        for target in targets where Int(target) == node { return true }
        return false
    }
}
