import FixstreamEval
import FixstreamGeo
import Testing

/// The position `east` and `north` metres from a point in Monaco.
private func point(east: Double, north: Double) -> Coordinate {
    Coordinate(latitude: 43.73 + north / 111_195, longitude: 7.42 + east / (111_195 * 0.7224))
}

struct RouteMismatchTests {
    private let line = [point(east: 0, north: 0), point(east: 1000, north: 0)]

    @Test func theTruthMatchesItself() {
        let score = RouteMismatch(truth: [line], matched: [line])
        #expect(abs(score.trueLength - 1000) < 5)
        #expect(score.missed == 0)
        #expect(score.extra == 0)
        #expect(score.error == 0)
    }

    @Test func aDisjointMatchCountsBothWays() {
        let elsewhere = [point(east: 0, north: 500), point(east: 500, north: 500)]
        let score = RouteMismatch(truth: [line], matched: [elsewhere])
        #expect(abs(score.missed - score.trueLength) < 0.01)
        #expect(abs(score.extra - 500) < 3)
        #expect(abs(score.error - 1.5) < 0.01)
    }

    @Test func halfMatchedWithinTheToleranceIsHalfMissed() {
        let half = [point(east: 0, north: 5), point(east: 500, north: 5)]
        let score = RouteMismatch(truth: [line], matched: [half])
        #expect(abs(score.missed / score.trueLength - 0.5) < 0.02)
        #expect(score.extra == 0)
    }

    @Test func anEmptyMatchMissesEverything() {
        let score = RouteMismatch(truth: [line], matched: [])
        #expect(abs(score.error - 1) < 1e-9)
    }
}
