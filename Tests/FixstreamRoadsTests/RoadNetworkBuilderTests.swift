import FixstreamGeo
import FixstreamRoads
import Testing

struct RoadNetworkBuilderTests {
    @Test func cutsWaysAtJunctionsAndKeepsShapePointsBetween() {
        var builder = RoadNetworkBuilder()
        // Way 1: a-b-c-d (b is only a bend); way 2 crosses at c.
        let points: [(Int64, Double, Double)] = [
            (1, 0, 0), (2, 50, 10), (3, 100, 0), (4, 200, 0), (5, 100, 100),
        ]
        for (id, east, north) in points {
            let position = TestRoads.coordinate(east: east, north: north)
            builder.addNode(id: id, latitude: position.latitude, longitude: position.longitude)
        }
        builder.addWay(RoadWay(id: 1, nodes: [1, 2, 3, 4], direction: .both, roadClass: .primary, name: "Main"))
        builder.addWay(RoadWay(id: 2, nodes: [3, 5], direction: .forward, roadClass: .service))
        let graph = builder.build()
        #expect(graph.nodeCount == 4)  // 1, 3, 4, 5: node 2 is a shape point
        #expect(graph.edgeCount == 5)  // 1-3 and 3-4 both ways, 3→5 one way
        let a = TestRoads.coordinate(east: 0, north: 0)
        let c = TestRoads.coordinate(east: 100, north: 0)
        let e = TestRoads.coordinate(east: 100, north: 100)
        let bent = try! #require(TestRoads.edge(graph, from: a, to: c))
        #expect(graph.shape(bent).count == 3)
        #expect(abs(graph.length(bent) - 2 * (50.0 * 50 + 10 * 10).squareRoot()) < 0.5)
        #expect(graph.name(bent) == "Main")
        #expect(graph.wayID(bent) == 1)
        #expect(graph.roadClass(bent) == .primary)
        let back = try! #require(TestRoads.edge(graph, from: c, to: a))
        #expect(graph.twin(bent) == back)
        #expect(graph.twin(back) == bent)
        // The reversed edge's shape runs the other way.
        #expect(TestRoads.close(graph.shapePoint(graph.shape(back).lowerBound), c))
        let spur = try! #require(TestRoads.edge(graph, from: c, to: e))
        #expect(graph.twin(spur) == nil)
        #expect(TestRoads.edge(graph, from: e, to: c) == nil)
        #expect(graph.speed(spur) == Double(RoadClass.service.defaultSpeed))
        #expect(graph.speedLimit(spur) == nil)
    }

    @Test func edgesLeaveTheirTailNode() {
        let graph = TestRoads.grid(rows: 3, columns: 4)
        #expect(graph.nodeCount == 12)
        // 3 rows × 3 pieces + 4 columns × 2 pieces, both ways.
        #expect(graph.edgeCount == 2 * (9 + 8))
        for node in 0 ..< graph.nodeCount {
            for edge in graph.outgoing(node) { #expect(graph.tail(edge) == node) }
        }
    }

    @Test func onewayRoadsHaveOneDirection() {
        let graph = TestRoads.grid(rows: 2, columns: 3, oneway: [1000])
        let west = TestRoads.coordinate(east: 0, north: 0)
        let east = TestRoads.coordinate(east: 100, north: 0)
        #expect(TestRoads.edge(graph, from: west, to: east) != nil)
        #expect(TestRoads.edge(graph, from: east, to: west) == nil)
        #expect(graph.edgeCount == 2 * 7 - 2)
    }

    @Test func waysAreSplitAroundNodesWithoutPositions() {
        var builder = RoadNetworkBuilder()
        for (id, east) in [(1 as Int64, 0.0), (2, 100), (4, 300), (5, 400)] {
            let position = TestRoads.coordinate(east: east, north: 0)
            builder.addNode(id: id, latitude: position.latitude, longitude: position.longitude)
        }
        builder.addWay(RoadWay(id: 7, nodes: [1, 2, 3, 4, 5], direction: .forward, roadClass: .tertiary))
        builder.addWay(RoadWay(id: 8, nodes: [9, 10], direction: .forward, roadClass: .tertiary))
        builder.addWay(RoadWay(id: 9, nodes: [1, 1, 2], direction: .forward, roadClass: .tertiary))
        let graph = builder.build()
        #expect(builder.missingNodeReferences == 3)
        #expect(builder.droppedWays == 1)
        // 1→2 and 4→5 from way 7 (no line across the gap), 1→2 again from way 9.
        #expect(graph.edgeCount == 3)
        for edge in 0 ..< graph.edgeCount { #expect(graph.length(edge) > 99 && graph.length(edge) < 101) }
    }

    @Test func anEmptyNetworkBuildsAnEmptyGraph() {
        var builder = RoadNetworkBuilder()
        let graph = builder.build()
        #expect(graph.nodeCount == 0)
        #expect(graph.edgeCount == 0)
        var found: [RoadPosition] = []
        graph.positions(nearLatitude: 43.7, longitude: 7.4, radius: 50, limit: 8, into: &found)
        #expect(found.isEmpty)
    }
}
