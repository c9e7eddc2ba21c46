import FixstreamRoads

/// Strongly connected components of a road graph (Kosaraju, iterative: city graphs are deep).
enum StrongComponents {
    /// Per node, whether it is in the largest strongly connected component.
    static func largest(of graph: RoadGraph) -> [Bool] {
        let count = graph.nodeCount
        guard count > 0 else { return [] }
        // Incoming edges per node, for the reverse pass.
        var incomingStart = [Int](repeating: 0, count: count + 1)
        for edge in 0 ..< graph.edgeCount { incomingStart[graph.head(edge) + 1] += 1 }
        for node in 0 ..< count { incomingStart[node + 1] += incomingStart[node] }
        var fill = incomingStart
        var incoming = [Int](repeating: 0, count: graph.edgeCount)
        for edge in 0 ..< graph.edgeCount {
            incoming[fill[graph.head(edge)]] = graph.tail(edge)
            fill[graph.head(edge)] += 1
        }
        // First pass: finishing order on the graph.
        var visited = [Bool](repeating: false, count: count)
        var order: [Int] = []
        order.reserveCapacity(count)
        var stack: [(node: Int, next: Int)] = []
        for root in 0 ..< count where !visited[root] {
            visited[root] = true
            stack.append((root, graph.outgoing(root).lowerBound))
            while !stack.isEmpty {
                let top = stack.count - 1
                let node = stack[top].node
                let edges = graph.outgoing(node)
                if stack[top].next < edges.upperBound {
                    let head = graph.head(stack[top].next)
                    stack[top].next += 1
                    if !visited[head] {
                        visited[head] = true
                        stack.append((head, graph.outgoing(head).lowerBound))
                    }
                } else {
                    order.append(node)
                    stack.removeLast()
                }
            }
        }
        // Second pass: components on the reverse graph in reverse finishing order.
        var component = [Int](repeating: -1, count: count)
        var sizes: [Int] = []
        var pending: [Int] = []
        for root in order.reversed() where component[root] < 0 {
            let id = sizes.count
            sizes.append(0)
            component[root] = id
            pending.append(root)
            while let node = pending.popLast() {
                sizes[id] += 1
                for index in incomingStart[node] ..< incomingStart[node + 1] where component[incoming[index]] < 0 {
                    component[incoming[index]] = id
                    pending.append(incoming[index])
                }
            }
        }
        let biggest = sizes.indices.max { sizes[$0] < sizes[$1] } ?? 0
        return component.map { $0 == biggest }
    }
}
