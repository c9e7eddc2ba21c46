import FixstreamGeo
import FixstreamRoads
import Testing

struct RouteMismatchTests {
    private let line = [TestRoads.coordinate(east: 0, north: 0), TestRoads.coordinate(east: 1000, north: 0)]

    @Test func theTruthMatchesItself() {
        let score = RouteMismatch(truth: [line], matched: [line])
        #expect(abs(score.trueLength - 1000) < 5)
        #expect(score.missed == 0)
        #expect(score.extra == 0)
        #expect(score.error == 0)
    }

    @Test func aDisjointMatchCountsBothWays() {
        let elsewhere = [TestRoads.coordinate(east: 0, north: 500), TestRoads.coordinate(east: 500, north: 500)]
        let score = RouteMismatch(truth: [line], matched: [elsewhere])
        #expect(abs(score.missed - score.trueLength) < 0.01)
        #expect(abs(score.extra - 500) < 3)
        #expect(abs(score.error - 1.5) < 0.01)
    }

    @Test func halfMatchedWithinTheToleranceIsHalfMissed() {
        let half = [TestRoads.coordinate(east: 0, north: 5), TestRoads.coordinate(east: 500, north: 5)]
        let score = RouteMismatch(truth: [line], matched: [half])
        #expect(abs(score.missed / score.trueLength - 0.5) < 0.02)
        #expect(score.extra == 0)
    }

    @Test func anEmptyMatchMissesEverything() {
        let score = RouteMismatch(truth: [line], matched: [])
        #expect(abs(score.error - 1) < 1e-9)
    }
}
