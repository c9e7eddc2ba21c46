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
    private var seconds: [Double]
    private var metres: [Double]
    /// The edge a node was reached by; a negative value `-1 - k` means from source `k` directly.
    private var previousEdge: [Int32]
    private var stamps: [UInt32]
    private var settledStamps: [UInt32]
    private var generation: UInt32 = 0
    private var heap: [(seconds: Double, node: Int32)] = []
    /// Nodes settled by the last search (for tests and benchmarks).
    public private(set) var settledCount = 0

    /// Scratch for `graph`; `maxSettled` bounds every search.
    public init(graph: RoadGraph, maxSettled: Int = 250_000) {
        self.graph = graph
        self.maxSettled = maxSettled
        seconds = [Double](repeating: 0, count: graph.nodeCount)
        metres = [Double](repeating: 0, count: graph.nodeCount)
        previousEdge = [Int32](repeating: -1, count: graph.nodeCount)
        stamps = [UInt32](repeating: 0, count: graph.nodeCount)
        settledStamps = [UInt32](repeating: 0, count: graph.nodeCount)
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
        nextGeneration()
        settledCount = 0
        heap.removeAll(keepingCapacity: true)
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
            if time <= maxSeconds { reach(graph.head(edge), time, rest, via: Int32(-1 - sourceIndex)) }
        }
        while let (time, node) = popMinimum() {
            let index = Int(node)
            if settledStamps[index] == generation || time > seconds[index] { continue }
            // Every target still to be reached costs at least this node's time: nothing can beat `best` now.
            if let best, time >= best.seconds { break }
            settledStamps[index] = generation
            settledCount += 1
            for (targetIndex, target) in targets.enumerated() where graph.tail(Int(target.edge)) == index {
                let targetEdge = Int(target.edge)
                let arrival = time + Double(target.offset) / graph.speed(targetEdge)
                if arrival <= maxSeconds && arrival < (best?.seconds ?? .infinity) {
                    best = FastestPath(
                        seconds: arrival,
                        metres: metres[index] + Double(target.offset),
                        source: sourceOf(index),
                        target: targetIndex
                    )
                    bestIsDirect = false
                }
            }
            if settledCount >= maxSettled { break }
            let distance = metres[index]
            for edge in graph.outgoing(index) {
                let length = graph.length(edge)
                let next = time + length / graph.speed(edge)
                if next <= maxSeconds { reach(graph.head(edge), next, distance + length, via: Int32(edge)) }
            }
        }
        guard let best else { return nil }
        let sourceEdge = sources[best.source].edge
        let targetEdge = targets[best.target].edge
        path.append(sourceEdge)
        if !bestIsDirect {
            let start = path.count
            var node = graph.tail(Int(targetEdge))
            while previousEdge[node] >= 0 {
                let edge = Int(previousEdge[node])
                path.append(Int32(edge))
                node = graph.tail(edge)
            }
            // Reversed in place (reversing the slice `path[start...]` would copy it first).
            var low = start
            var high = path.count - 1
            while low < high {
                path.swapAt(low, high)
                low += 1
                high -= 1
            }
            path.append(targetEdge)
        }
        return best
    }

    /// The source a settled node was reached from.
    private func sourceOf(_ node: Int) -> Int {
        var current = node
        while previousEdge[current] >= 0 { current = graph.tail(Int(previousEdge[current])) }
        return Int(-1 - previousEdge[current])
    }

    private func nextGeneration() {
        generation &+= 1
        if generation == 0 {
            for index in stamps.indices {
                stamps[index] = 0
                settledStamps[index] = 0
            }
            generation = 1
        }
    }

    @inline(__always)
    private func reach(_ node: Int, _ time: Double, _ distance: Double, via edge: Int32) {
        if stamps[node] == generation {
            guard time < seconds[node], settledStamps[node] != generation else { return }
        }
        stamps[node] = generation
        seconds[node] = time
        metres[node] = distance
        previousEdge[node] = edge
        push(time, Int32(node))
    }

    private func push(_ time: Double, _ node: Int32) {
        heap.append((time, node))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent].seconds <= heap[child].seconds { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private func popMinimum() -> (Double, Int32)? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                if left >= heap.count { break }
                var child = left
                if left + 1 < heap.count && heap[left + 1].seconds < heap[left].seconds { child = left + 1 }
                if heap[parent].seconds <= heap[child].seconds { break }
                heap.swapAt(parent, child)
                parent = child
            }
        }
        return top
    }
}
