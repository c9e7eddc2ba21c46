import FixstreamGeo
import Testing

/// The grid behind the trip follower's and the simulator's "what is near" questions.
struct PlaneCellsTests {
    @Test func findsItemsNearAPointAndNothingFarOutside() {
        let grid = PlaneCells(cell: 100, boxes: [(0, 0, 10, 10), (450, 450, 460, 460)])
        var found: [Int] = []
        grid.forEach(nearX: 50, y: 50, reach: 1) { found.append($0) }
        #expect(found == [0])
        found.removeAll()
        grid.forEach(nearX: 455, y: 455, reach: 0) { found.append($0) }
        #expect(found == [1])
        // Beyond the items, near or far, in any direction, or not a number: nothing else, and no trap.
        for (x, y) in [
            (-150.0, 50.0), (5_000, 50), (50, -9_000), (50, 700), (.nan, 0), (.infinity, 0), (1e300, -1e300),
        ] {
            found.removeAll()
            grid.forEach(nearX: x, y: y, reach: 2) { found.append($0) }
            #expect(found.allSatisfy { $0 == 0 || $0 == 1 })
        }
    }

    @Test func aLongDiagonalIsFoundAlongItsWholeLength() {
        // One segment from (-5 km, -5 km) to (5 km, 5 km), filed by its box: every point on it finds it.
        let grid = PlaneCells(cell: 150, boxes: [(-5_000, -5_000, 5_000, 5_000)])
        for step in stride(from: -5_000.0, through: 5_000, by: 37) {
            var found = false
            grid.forEach(nearX: step, y: step, reach: 0) { _ in found = true }
            #expect(found)
        }
    }
}
