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
    private var costs: [Double]
    private var distances: [Double]
    private var previousEdge: [Int32]
    private var stamps: [UInt32]
    private var settledStamps: [UInt32]
    private var generation: UInt32 = 0
    private var heap: [(cost: Double, node: Int32)] = []
    /// Nodes settled by the last search (for tests and benchmarks).
    public private(set) var settledCount = 0

    /// Scratch for `graph`, choosing paths by `weight`.
    public init(graph: RoadGraph, weight: Weight = .length) {
        self.graph = graph
        self.weight = weight
        costs = [Double](repeating: 0, count: graph.nodeCount)
        distances = [Double](repeating: 0, count: graph.nodeCount)
        previousEdge = [Int32](repeating: -1, count: graph.nodeCount)
        stamps = [UInt32](repeating: 0, count: graph.nodeCount)
        settledStamps = [UInt32](repeating: 0, count: graph.nodeCount)
    }

    /// Searches from `source` until every node of `targets` is settled or nothing closer than `bound` metres is
    /// left. Afterwards ``distance(to:)`` and ``path(to:into:)`` answer for every node settled.
    /// - Parameters:
    ///   - targets: nodes whose distances are wanted (may repeat); an empty list searches the whole bound.
    ///   - avoiding: an edge the search may not take first from the source (a U-turn's twin), or -1.
    public func search(from source: Int, bound: Double, targets: UnsafeBufferPointer<Int32>, avoiding: Int32 = -1) {
        generation &+= 1
        if generation == 0 {
            for index in stamps.indices {
                stamps[index] = 0
                settledStamps[index] = 0
            }
            generation = 1
        }
        settledCount = 0
        heap.removeAll(keepingCapacity: true)
        var remaining = 0
        for target in targets where stamps[Int(target)] != generation {
            stamps[Int(target)] = generation
            costs[Int(target)] = .infinity
            distances[Int(target)] = .infinity
            previousEdge[Int(target)] = -1
            remaining += 1
        }
        // Targets are stamped with infinite distance until reached; a repeated target was counted once.
        reach(source, 0, 0, via: -1)
        while let (cost, node) = popMinimum() {
            let index = Int(node)
            if settledStamps[index] == generation || cost > costs[index] { continue }
            settledStamps[index] = generation
            settledCount += 1
            if isTarget(index, targets) {
                remaining -= 1
                if remaining == 0 && !targets.isEmpty { return }
            }
            let distance = distances[index]
            for edge in graph.outgoing(index) where edge != Int(avoiding) || index != source {
                let length = graph.length(edge)
                let next = distance + length
                guard next <= bound else { continue }
                let step = weight == .length ? length : length / graph.speed(edge)
                reach(graph.head(edge), cost + step, next, via: Int32(edge))
            }
        }
    }

    /// The length of the chosen path from the last search's source to `node`, metres, if the search settled it.
    @inline(__always)
    public func distance(to node: Int) -> Double? {
        settledStamps[node] == generation ? distances[node] : nil
    }

    /// Appends the edges of the shortest path from the last search's source to `node` (in driving order) to
    /// `edges`; appends nothing when `node` is the source or was not settled.
    public func path(to node: Int, into edges: inout [Int32]) {
        guard settledStamps[node] == generation else { return }
        let start = edges.count
        var current = node
        while previousEdge[current] >= 0 {
            let edge = Int(previousEdge[current])
            edges.append(Int32(edge))
            current = graph.tail(edge)
        }
        var low = start
        var high = edges.count - 1
        while low < high {  // in place: reversing the slice would copy it
            edges.swapAt(low, high)
            low += 1
            high -= 1
        }
    }

    @inline(__always)
    private func isTarget(_ node: Int, _ targets: UnsafeBufferPointer<Int32>) -> Bool {
        for target in targets where Int(target) == node { return true }
        return false
    }

    /// The cost of the chosen path to `node` (metres or seconds, by ``weight``), if the search settled it.
    @inline(__always)
    public func cost(to node: Int) -> Double? {
        settledStamps[node] == generation ? costs[node] : nil
    }

    @inline(__always)
    private func reach(_ node: Int, _ cost: Double, _ distance: Double, via edge: Int32) {
        if stamps[node] == generation {
            guard cost < costs[node], settledStamps[node] != generation else { return }
        }
        stamps[node] = generation
        costs[node] = cost
        distances[node] = distance
        previousEdge[node] = edge
        push(cost, Int32(node))
    }

    private func push(_ cost: Double, _ node: Int32) {
        heap.append((cost, node))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent].cost <= heap[child].cost { break }
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
                if left + 1 < heap.count && heap[left + 1].cost < heap[left].cost { child = left + 1 }
                if heap[parent].cost <= heap[child].cost { break }
                heap.swapAt(parent, child)
                parent = child
            }
        }
        return top
    }
}
