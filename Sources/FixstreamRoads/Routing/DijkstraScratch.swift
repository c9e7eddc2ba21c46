/// The per-node state and the heap of a Dijkstra search over a road graph, shared by ``RouteSearch`` and
/// ``FastestPathSearch``.
///
/// Allocated once per graph and reset in O(1) per search with a generation stamp; the heap keeps its capacity, so
/// a search allocates nothing. A node's cost is what the search orders by (metres or seconds); its distance is the
/// length of the path that reached it, whatever the cost.
struct DijkstraScratch {
    private(set) var costs: [Double]
    private(set) var distances: [Double]
    /// The edge a node was reached by; negative values are the owner's to define (no edge).
    private(set) var previousEdge: [Int32]
    private var stamps: [UInt32]
    private var settledStamps: [UInt32]
    private var generation: UInt32 = 0
    private var heap: [(cost: Double, node: Int32)] = []

    init(nodeCount: Int) {
        costs = [Double](repeating: 0, count: nodeCount)
        distances = [Double](repeating: 0, count: nodeCount)
        previousEdge = [Int32](repeating: -1, count: nodeCount)
        stamps = [UInt32](repeating: 0, count: nodeCount)
        settledStamps = [UInt32](repeating: 0, count: nodeCount)
    }

    /// Forgets the last search.
    mutating func reset() {
        generation &+= 1
        if generation == 0 {
            for index in stamps.indices {
                stamps[index] = 0
                settledStamps[index] = 0
            }
            generation = 1
        }
        heap.removeAll(keepingCapacity: true)
    }

    /// Whether `node` has a tentative or final cost in this search.
    @inline(__always)
    func isReached(_ node: Int) -> Bool { stamps[node] == generation }

    /// Whether `node` is settled in this search.
    @inline(__always)
    func isSettled(_ node: Int) -> Bool { settledStamps[node] == generation }

    /// Marks `node` settled.
    @inline(__always)
    mutating func settle(_ node: Int) { settledStamps[node] = generation }

    /// Marks `node` as reached at infinite cost, so that it is recognised before any path reaches it.
    mutating func stampUnreached(_ node: Int) {
        stamps[node] = generation
        costs[node] = .infinity
        distances[node] = .infinity
        previousEdge[node] = -1
    }

    /// Reaches `node` at `cost` by `edge` unless it is settled or already reached more cheaply.
    @inline(__always)
    mutating func reach(_ node: Int, _ cost: Double, _ distance: Double, via edge: Int32) {
        if stamps[node] == generation {
            guard cost < costs[node], settledStamps[node] != generation else { return }
        }
        stamps[node] = generation
        costs[node] = cost
        distances[node] = distance
        previousEdge[node] = edge
        heap.append((cost, Int32(node)))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent].cost <= heap[child].cost { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    /// The cheapest entry of the heap, removed (it may be stale: compare with ``costs``).
    mutating func popMinimum() -> (Double, Int32)? {
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

    /// Appends the edges that reached `node` (back to the first node with no edge) to `edges`, in driving order.
    func appendPath(to node: Int, in graph: RoadGraph, into edges: inout [Int32]) {
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
}
