/// Fastest paths between road positions by travel time (each edge's length over its speed): Dijkstra from one or
/// more source positions to the quickest of several target positions, bounded in seconds and in nodes settled,
/// with reusable scratch memory.
///
/// A position is a point of a directed edge; a vehicle there drives on to the edge's head (no U-turn in the middle
/// of a road), and a target is reached by driving its edge from the tail up to the target's offset, or along the
/// source's own edge when the target lies ahead on it. Several sources suit a stop reached from either side of a
/// two-way road; several targets, a stop next to two roads.
///
/// One instance per thread (a shard's trip stage): the per-node arrays are allocated once for the graph and reset
/// in O(1) per search with a generation stamp, and the heap keeps its capacity, so a search allocates nothing but
/// what the caller's path array grows by.
public final class FastestPathSearch {
    /// The graph searched.
    public let graph: RoadGraph
    /// The most nodes one search settles before giving up: bounds the cost of a search whatever the map (a target
    /// cut off from the roads around it would otherwise cost the whole time bound).
    public var maxSettled: Int
    /// Costs in seconds, distances in metres; a negative previous edge `-1 - k` means from source `k` directly.
    private var scratch: DijkstraScratch
    /// Nodes settled by the last search (for tests and benchmarks).
    public private(set) var settledCount = 0

    /// Scratch for `graph`; `maxSettled` bounds every search.
    public init(graph: RoadGraph, maxSettled: Int = 250_000) {
        self.graph = graph
        self.maxSettled = maxSettled
        scratch = DijkstraScratch(nodeCount: graph.nodeCount)
    }

    /// The fastest path from any of `sources` to any of `targets`, if one takes at most `maxSeconds`.
    /// - Parameters:
    ///   - sources: where the path may start (edge and offset of each; other fields are ignored).
    ///   - targets: where it may end.
    ///   - maxSeconds: the longest travel time searched.
    ///   - path: receives (after what it holds) the edges driven, from the source's edge to the target's, both
    ///     included: one edge when the target lies ahead on the source's edge. Untouched when nothing is found.
    /// - Returns: the travel time, the distance and which source and target, or nil when no target is reachable
    ///   within the bounds.
    /// - Complexity: O((n + m) log n) in the nodes and edges within `maxSeconds`, at most ``maxSettled`` nodes.
    public func search(
        from sources: [RoadPosition],
        to targets: [RoadPosition],
        maxSeconds: Double,
        path: inout [Int32]
    ) -> FastestPath? {
        scratch.reset()
        settledCount = 0
        var best: FastestPath?
        var bestIsDirect = false
        for (sourceIndex, source) in sources.enumerated() {
            let edge = Int(source.edge)
            let speed = graph.speed(edge)
            for (targetIndex, target) in targets.enumerated()
            where target.edge == source.edge && target.offset >= source.offset {
                let along = Double(target.offset - source.offset)
                let time = along / speed
                if time <= maxSeconds && time < (best?.seconds ?? .infinity) {
                    best = FastestPath(seconds: time, metres: along, source: sourceIndex, target: targetIndex)
                    bestIsDirect = true
                }
            }
            let rest = max(0, graph.length(edge) - Double(source.offset))
            let time = rest / speed
            if time <= maxSeconds { scratch.reach(graph.head(edge), time, rest, via: Int32(-1 - sourceIndex)) }
        }
        while let (time, node) = scratch.popMinimum() {
            let index = Int(node)
            if scratch.isSettled(index) || time > scratch.costs[index] { continue }
            // Every target still to be reached costs at least this node's time: nothing can beat `best` now.
            if let best, time >= best.seconds { break }
            scratch.settle(index)
            settledCount += 1
            for (targetIndex, target) in targets.enumerated() where graph.tail(Int(target.edge)) == index {
                let targetEdge = Int(target.edge)
                let arrival = time + Double(target.offset) / graph.speed(targetEdge)
                if arrival <= maxSeconds && arrival < (best?.seconds ?? .infinity) {
                    best = FastestPath(
                        seconds: arrival,
                        metres: scratch.distances[index] + Double(target.offset),
                        source: sourceOf(index),
                        target: targetIndex
                    )
                    bestIsDirect = false
                }
            }
            if settledCount >= maxSettled { break }
            let distance = scratch.distances[index]
            for edge in graph.outgoing(index) {
                let length = graph.length(edge)
                let next = time + length / graph.speed(edge)
                if next <= maxSeconds { scratch.reach(graph.head(edge), next, distance + length, via: Int32(edge)) }
            }
        }
        guard let best else { return nil }
        let sourceEdge = sources[best.source].edge
        let targetEdge = targets[best.target].edge
        path.append(sourceEdge)
        if !bestIsDirect {
            scratch.appendPath(to: graph.tail(Int(targetEdge)), in: graph, into: &path)
            path.append(targetEdge)
        }
        return best
    }

    /// The source a settled node was reached from.
    private func sourceOf(_ node: Int) -> Int {
        var current = node
        while scratch.previousEdge[current] >= 0 { current = graph.tail(Int(scratch.previousEdge[current])) }
        return Int(-1 - scratch.previousEdge[current])
    }
}
