import FixstreamGeo
import FixstreamRoads
import Testing

struct RoadLegTests {
    /// East along row 0 from (10, 0) to (250, 0): 240 m over three edges.
    private func leg(_ graph: RoadGraph) -> (leg: RoadLeg, edges: [Int32]) {
        let search = FastestPathSearch(graph: graph)
        let start = edge(graph, (0, 0), (100, 0))
        let goal = edge(graph, (200, 0), (300, 0))
        var path: [Int32] = []
        let found = search.search(
            from: [graph.position(onEdge: Int(start), offset: 10)],
            to: [graph.position(onEdge: Int(goal), offset: 50)],
            maxSeconds: 3600,
            path: &path
        )
        #expect(abs((found?.metres ?? 0) - 240) < 1)
        var leg = RoadLeg()
        leg.set(path: path, targetOffset: 50, graph: graph)
        return (leg, path)
    }

    private func edge(_ graph: RoadGraph, _ from: (Double, Double), _ to: (Double, Double)) -> Int32 {
        Int32(
            TestRoads.edge(
                graph,
                from: TestRoads.coordinate(east: from.0, north: from.1),
                to: TestRoads.coordinate(east: to.0, north: to.1)
            )!
        )
    }

    @Test func theTimeLeftShrinksAsTheVehicleAdvances() {
        let graph = TestRoads.grid(rows: 3, columns: 4)
        var (leg, edges) = leg(graph)
        #expect(edges.count == 3)
        let speed = graph.speed(Int(edges[0]))
        let atStart = leg.remaining(edge: edges[0], offset: 10, graph: graph)!
        #expect(abs(atStart.metres - 240) < 1)
        #expect(abs(atStart.seconds - 240 / speed) < 0.1)
        let later = leg.remaining(edge: edges[1], offset: 60, graph: graph)!
        #expect(abs(later.metres - 90) < 1)
        #expect(leg.current == 1)
        let onTheLast = leg.remaining(edge: edges[2], offset: 20, graph: graph)!
        #expect(abs(onTheLast.metres - 30) < 1)
        let past = leg.remaining(edge: edges[2], offset: 80, graph: graph)!
        #expect(past.metres == 0 && past.seconds == 0)
    }

    @Test func anEdgeOffTheLegOrBehindTheVehicleIsNotOnIt() {
        let graph = TestRoads.grid(rows: 3, columns: 4)
        var (leg, edges) = leg(graph)
        #expect(leg.remaining(edge: edge(graph, (100, 0), (100, 100)), offset: 5, graph: graph) == nil)
        #expect(leg.remaining(edge: graph.twin(Int(edges[0])).map(Int32.init)!, offset: 5, graph: graph) == nil)
        #expect(leg.remaining(edge: edges[1], offset: 0, graph: graph) != nil)
        // Once found further on, an earlier edge of the leg is behind.
        #expect(leg.remaining(edge: edges[0], offset: 50, graph: graph) == nil)
        leg.clear()
        #expect(leg.isEmpty)
        #expect(leg.remaining(edge: edges[2], offset: 0, graph: graph) == nil)
    }

    @Test func theShapeOfALegRunsFromItsStartToItsTarget() {
        let graph = TestRoads.grid(rows: 3, columns: 4)
        let (_, edges) = leg(graph)
        var points: [Coordinate] = []
        graph.appendShape(of: edges, startOffset: 10, endOffset: 50, into: &points)
        #expect(TestRoads.close(points.first!, TestRoads.coordinate(east: 10, north: 0)))
        #expect(TestRoads.close(points.last!, TestRoads.coordinate(east: 250, north: 0)))
        #expect(points.contains { TestRoads.close($0, TestRoads.coordinate(east: 200, north: 0)) })
        var length = 0.0
        for (a, b) in zip(points, points.dropFirst()) {
            length += GreatCircle.shortDistance(
                latitude1: a.latitude,
                longitude1: a.longitude,
                latitude2: b.latitude,
                longitude2: b.longitude
            )
        }
        #expect(abs(length - 240) < 1)
        // A second path starting where the first ended joins without repeating the point.
        let count = points.count
        graph.appendShape(of: [edges[2]], startOffset: 50, endOffset: 100, into: &points)
        #expect(points.count == count + 1)
        // Within one edge.
        var piece: [Coordinate] = []
        graph.appendShape(of: [edges[0]], startOffset: 20, endOffset: 60, into: &piece)
        #expect(piece.count == 2)
        #expect(TestRoads.close(piece[1], TestRoads.coordinate(east: 60, north: 0)))
    }
}
