import FixstreamGeo
import FixstreamRoads
import Testing

struct RouteSearchTests {
    private func node(_ graph: RoadGraph, east: Double, north: Double) -> Int {
        let position = TestRoads.coordinate(east: east, north: north)
        return (0 ..< graph.nodeCount).first { TestRoads.close(graph.coordinate(ofNode: $0), position) }!
    }

    @Test func findsShortestDistancesAndPaths() {
        let graph = TestRoads.grid(rows: 4, columns: 4)
        let search = RouteSearch(graph: graph)
        let from = node(graph, east: 0, north: 0)
        let to = node(graph, east: 300, north: 200)
        let targets: [Int32] = [Int32(to)]
        targets.withUnsafeBufferPointer { search.search(from: from, bound: 10_000, targets: $0) }
        let distance = try! #require(search.distance(to: to))
        #expect(abs(distance - 500) < 1)
        var path: [Int32] = []
        search.path(to: to, into: &path)
        #expect(path.count == 5)
        #expect(graph.tail(Int(path[0])) == from)
        #expect(graph.head(Int(path.last!)) == to)
        for (a, b) in zip(path, path.dropFirst()) { #expect(graph.head(Int(a)) == graph.tail(Int(b))) }
    }

    @Test func stopsAtTheBound() {
        let graph = TestRoads.grid(rows: 4, columns: 4)
        let search = RouteSearch(graph: graph)
        let from = node(graph, east: 0, north: 0)
        let to = node(graph, east: 300, north: 300)
        let targets: [Int32] = [Int32(to)]
        targets.withUnsafeBufferPointer { search.search(from: from, bound: 250, targets: $0) }
        #expect(search.distance(to: to) == nil)
        #expect(search.distance(to: node(graph, east: 100, north: 100)) != nil)
        #expect(search.settledCount < graph.nodeCount)
    }

    @Test func honoursOnewayStreets() {
        // Row 0 runs one way west to east: going east to west along it is not allowed, so the route goes round.
        let graph = TestRoads.grid(rows: 2, columns: 2, oneway: [1000])
        let search = RouteSearch(graph: graph)
        let from = node(graph, east: 100, north: 0)
        let to = node(graph, east: 0, north: 0)
        let targets: [Int32] = [Int32(to)]
        targets.withUnsafeBufferPointer { search.search(from: from, bound: 10_000, targets: $0) }
        #expect(abs(search.distance(to: to)! - 300) < 1)
    }

    @Test func reusesItsScratchAcrossSearches() {
        let graph = TestRoads.grid(rows: 3, columns: 3)
        let search = RouteSearch(graph: graph)
        let none: [Int32] = []
        for start in 0 ..< graph.nodeCount {
            none.withUnsafeBufferPointer { search.search(from: start, bound: 150, targets: $0) }
            #expect(search.distance(to: start) == 0)
            var path: [Int32] = []
            search.path(to: start, into: &path)
            #expect(path.isEmpty)
        }
    }
}
