import FixstreamGeo
import FixstreamRoads
import Testing

struct RoadGraphNearbyTests {
    @Test func findsEveryRoadWithinTheRadiusNearestFirst() {
        let graph = TestRoads.grid(rows: 3, columns: 3)
        // 10 m north of the middle of row 0's first block.
        let fix = TestRoads.coordinate(east: 50, north: 10)
        var found: [RoadPosition] = []
        graph.positions(nearLatitude: fix.latitude, longitude: fix.longitude, radius: 60, limit: 20, into: &found)
        // Both directions of: row 0's first block (10 m), columns 0 and 1 (50 m), row 0's second block (its
        // corner, 51 m); row 1 is 90 m away.
        #expect(found.count == 8)
        #expect(found.map(\.distance) == found.map(\.distance).sorted())
        let expected = [10, 10, 50, 50, 50, 50, (50.0 * 50 + 100).squareRoot(), (50.0 * 50 + 100).squareRoot()]
        for (position, distance) in zip(found, expected) { #expect(abs(Double(position.distance) - distance) < 0.5) }
        let nearest = found[0]
        #expect(abs(nearest.latitude - TestRoads.originLatitude) < 1e-6)
        #expect(found[1].edge == Int32(graph.twin(Int(nearest.edge))!))
        #expect(abs(Double(nearest.offset) + Double(found[1].offset) - 100) < 0.5)
        #expect(abs(Double(nearest.offset) - 50) < 0.5)
    }

    @Test func keepsOnlyTheNearestUpToTheLimit() {
        let graph = TestRoads.grid(rows: 3, columns: 3)
        let fix = TestRoads.coordinate(east: 50, north: 10)
        var found: [RoadPosition] = []
        graph.positions(nearLatitude: fix.latitude, longitude: fix.longitude, radius: 60, limit: 2, into: &found)
        #expect(found.count == 2)
        #expect(found.allSatisfy { abs(Double($0.distance) - 10) < 0.5 })
    }

    @Test func findsNothingFarFromTheRoads() {
        let graph = TestRoads.grid(rows: 3, columns: 3)
        var found: [RoadPosition] = []
        let far = TestRoads.coordinate(east: 1000, north: 1000)
        graph.positions(nearLatitude: far.latitude, longitude: far.longitude, radius: 50, limit: 8, into: &found)
        #expect(found.isEmpty)
    }

    @Test func placesPositionsAlongAnEdge() {
        let graph = TestRoads.grid(rows: 2, columns: 2)
        let edge = TestRoads.edge(
            graph,
            from: TestRoads.coordinate(east: 0, north: 0),
            to: TestRoads.coordinate(east: 100, north: 0)
        )!
        let middle = graph.position(onEdge: edge, offset: 25)
        #expect(abs(middle.longitude - TestRoads.coordinate(east: 25, north: 0).longitude) < 1e-6)
        let beyond = graph.position(onEdge: edge, offset: 500)
        #expect(abs(Double(beyond.offset) - graph.length(edge)) < 0.01)
        let snapped = graph.position(
            onEdge: edge,
            nearLatitude: TestRoads.coordinate(east: 30, north: 20).latitude,
            longitude: TestRoads.coordinate(east: 30, north: 20).longitude
        )
        #expect(abs(Double(snapped.offset) - 30) < 0.5)
        #expect(abs(Double(snapped.distance) - 20) < 0.5)
    }
}
