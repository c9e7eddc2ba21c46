import FixstreamRoads
import FixstreamSim
import Testing

/// The synthetic city: streets, avenues and one-way streets where documented.
struct GridCityTests {
    @Test func buildsAGridWithAvenuesAndOneWayStreets() {
        let graph = GridCity.build(rows: 5, columns: 6, spacing: 150)
        #expect(graph.nodeCount == 30)
        // Rows: 5 ways of 5 pieces, row 2 one-way; columns: 6 ways of 4 pieces, column 2 one-way.
        #expect(graph.edgeCount == (4 * 5 * 2 + 1 * 5) + (5 * 4 * 2 + 1 * 4))
        var avenues = 0
        var oneWay = 0
        for edge in 0 ..< graph.edgeCount {
            if graph.roadClass(edge) == .secondary { avenues += 1 }
            if graph.twin(edge) == nil { oneWay += 1 }
            #expect(abs(graph.length(edge) - 150) < 0.5)
        }
        #expect(oneWay == 9)
        #expect(avenues == 2 * (2 * 5) + 2 * (2 * 4))
    }
}
