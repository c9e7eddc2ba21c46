import FixstreamGeo
import FixstreamRoads
import Testing

struct FastestPathSearchTests {
    /// A slow short street and a fast long way round: A (0, 0) to B (300, 0) directly on a living street
    /// (10 km/h: 108 s), or A → C (0, 200) → D (300, 200) → B on a primary road (50 km/h, 700 m: 50 s). Short
    /// primary stubs make the corners junctions and lead on from B to E (350, 0).
    private func slowStreetAndFastRing() -> RoadGraph {
        var builder = RoadNetworkBuilder()
        let corners: [(Int64, Double, Double)] = [
            (1, 0, 0), (2, 300, 0), (3, 0, 200), (4, 300, 200), (5, -50, 200), (6, 350, 200), (7, 350, 0),
        ]
        for (id, east, north) in corners {
            let position = TestRoads.coordinate(east: east, north: north)
            builder.addNode(id: id, latitude: position.latitude, longitude: position.longitude)
        }
        builder.addWay(RoadWay(id: 10, nodes: [1, 2], direction: .both, roadClass: .livingStreet, name: "Slow"))
        builder.addWay(RoadWay(id: 20, nodes: [1, 3, 4, 2], direction: .both, roadClass: .primary, name: "Ring"))
        builder.addWay(RoadWay(id: 30, nodes: [3, 5], direction: .both, roadClass: .primary))
        builder.addWay(RoadWay(id: 31, nodes: [4, 6], direction: .both, roadClass: .primary))
        builder.addWay(RoadWay(id: 32, nodes: [2, 7], direction: .both, roadClass: .primary))
        return builder.build()
    }

    /// The position `offset` metres along the edge between two corners given in metres.
    private func position(
        _ graph: RoadGraph,
        from: (Double, Double),
        to: (Double, Double),
        offset: Double
    ) -> RoadPosition {
        let edge = TestRoads.edge(
            graph,
            from: TestRoads.coordinate(east: from.0, north: from.1),
            to: TestRoads.coordinate(east: to.0, north: to.1)
        )!
        return graph.position(onEdge: edge, offset: offset)
    }

    private func expectConnected(_ graph: RoadGraph, _ path: [Int32]) {
        for (a, b) in zip(path, path.dropFirst()) { #expect(graph.head(Int(a)) == graph.tail(Int(b))) }
    }

    @Test func aFastLongWayRoundBeatsASlowShortStreet() {
        let graph = slowStreetAndFastRing()
        let search = FastestPathSearch(graph: graph)
        // From 10 m short of A (coming down from C) to 10 m past B towards E.
        let start = position(graph, from: (0, 200), to: (0, 0), offset: 190)
        let goal = position(graph, from: (300, 0), to: (350, 0), offset: 10)
        var path: [Int32] = []
        let found = try! #require(search.search(from: [start], to: [goal], maxSeconds: 3600, path: &path))
        // 10 m to A, the ring's 700 m and 10 m on to E, all at 50 km/h (52 s); the living street is 300 m shorter
        // but takes 108 s on its own.
        #expect(abs(found.metres - 720) < 2)
        #expect(abs(found.seconds - 720 / (50 / 3.6)) < 0.5)
        #expect(!path.contains { graph.wayID(Int($0)) == 10 })
        #expect(path.first == start.edge)
        #expect(path.last == goal.edge)
        expectConnected(graph, path)
    }

    @Test func aShortestPathByLengthWouldTakeTheSlowStreet() {
        let graph = slowStreetAndFastRing()
        let search = RouteSearch(graph: graph)
        let a = (0 ..< graph.nodeCount).first {
            TestRoads.close(graph.coordinate(ofNode: $0), TestRoads.coordinate(east: 0, north: 0))
        }!
        let b = (0 ..< graph.nodeCount).first {
            TestRoads.close(graph.coordinate(ofNode: $0), TestRoads.coordinate(east: 300, north: 0))
        }!
        let targets: [Int32] = [Int32(b)]
        targets.withUnsafeBufferPointer { search.search(from: a, bound: 10_000, targets: $0) }
        #expect(abs(search.distance(to: b)! - 300) < 1)
    }

    @Test func aTargetAheadOnTheSameEdgeIsReachedDirectly() {
        let graph = TestRoads.grid(rows: 2, columns: 3)
        let search = FastestPathSearch(graph: graph)
        let start = position(graph, from: (0, 0), to: (100, 0), offset: 20)
        let goal = position(graph, from: (0, 0), to: (100, 0), offset: 70)
        var path: [Int32] = []
        let found = try! #require(search.search(from: [start], to: [goal], maxSeconds: 3600, path: &path))
        #expect(path == [start.edge])
        #expect(abs(found.metres - 50) < 0.5)
    }

    @Test func aTargetBehindOnTheSameEdgeNeedsAWayRound() {
        // No U-turn in the middle of a road: back to 20 m from 70 m means driving on to the corner, turning there,
        // and turning again at (0, 0).
        let graph = TestRoads.grid(rows: 2, columns: 3)
        let search = FastestPathSearch(graph: graph)
        let start = position(graph, from: (0, 0), to: (100, 0), offset: 70)
        let goal = position(graph, from: (0, 0), to: (100, 0), offset: 20)
        var path: [Int32] = []
        let found = try! #require(search.search(from: [start], to: [goal], maxSeconds: 3600, path: &path))
        // 30 m to the corner, back along the twin (100 m) to (0, 0), then 20 m: the shortest way back.
        #expect(abs(found.metres - 150) < 1)
        #expect(path.first == start.edge)
        #expect(path.last == goal.edge)
        expectConnected(graph, path)
    }

    @Test func honoursOnewayStreets() {
        // Row 0 one way west to east: from (100, 0) westwards to (50, 0) means going round the block.
        let graph = TestRoads.grid(rows: 2, columns: 3, oneway: [1000])
        let search = FastestPathSearch(graph: graph)
        let start = position(graph, from: (0, 100), to: (100, 100), offset: 90)
        let goal = position(graph, from: (0, 0), to: (100, 0), offset: 50)
        var path: [Int32] = []
        let found = try! #require(search.search(from: [start], to: [goal], maxSeconds: 3600, path: &path))
        // 10 m to (100, 100), back west 100 m, down column 0 100 m, then 50 m east on row 0.
        #expect(abs(found.metres - 260) < 1)
        expectConnected(graph, path)
    }

    @Test func picksTheQuickestOfSeveralSourcesAndTargets() {
        let graph = TestRoads.grid(rows: 3, columns: 3)
        let search = FastestPathSearch(graph: graph)
        // Both directions of the middle of row 0, to both directions of the middle of row 2's first block.
        let east = position(graph, from: (0, 0), to: (100, 0), offset: 50)
        let west = position(graph, from: (100, 0), to: (0, 0), offset: 50)
        let targetEast = position(graph, from: (0, 200), to: (100, 200), offset: 50)
        let targetWest = position(graph, from: (100, 200), to: (0, 200), offset: 50)
        var path: [Int32] = []
        let found = try! #require(
            search.search(from: [east, west], to: [targetEast, targetWest], maxSeconds: 3600, path: &path)
        )
        #expect(abs(found.metres - 300) < 1)
        #expect(path.first == [east, west][found.source].edge)
        #expect(path.last == [targetEast, targetWest][found.target].edge)
        expectConnected(graph, path)
    }

    @Test func givesUpBeyondTheTimeBoundAndTheNodeBound() {
        let graph = TestRoads.grid(rows: 6, columns: 6)
        let search = FastestPathSearch(graph: graph)
        let start = position(graph, from: (0, 0), to: (100, 0), offset: 0)
        let goal = position(graph, from: (400, 500), to: (500, 500), offset: 50)
        var path: [Int32] = []
        // About 1,000 m at 30 km/h: 120 s.
        #expect(search.search(from: [start], to: [goal], maxSeconds: 60, path: &path) == nil)
        #expect(path.isEmpty)
        search.maxSettled = 5
        #expect(search.search(from: [start], to: [goal], maxSeconds: 3600, path: &path) == nil)
        #expect(search.settledCount == 5)
        search.maxSettled = 1000
        #expect(search.search(from: [start], to: [goal], maxSeconds: 3600, path: &path) != nil)
    }

    @Test func reusesItsScratchAcrossManySearches() {
        let graph = TestRoads.grid(rows: 4, columns: 4)
        let search = FastestPathSearch(graph: graph)
        var path: [Int32] = []
        for edge in 0 ..< graph.edgeCount {
            let start = graph.position(onEdge: edge, offset: 10)
            let goal = graph.position(onEdge: (edge * 7 + 3) % graph.edgeCount, offset: 30)
            path.removeAll(keepingCapacity: true)
            let found = try! #require(search.search(from: [start], to: [goal], maxSeconds: 3600, path: &path))
            // The time is the sum over the edges driven.
            var seconds = 0.0
            for (index, driven) in path.enumerated() {
                let from = index == 0 ? Double(start.offset) : 0
                let to = index == path.count - 1 ? Double(goal.offset) : graph.length(Int(driven))
                seconds += (to - from) / graph.speed(Int(driven))
            }
            #expect(abs(seconds - found.seconds) < 1e-6)
            expectConnected(graph, path)
        }
    }
}
