import FixstreamEval
import FixstreamGeo
import Testing

struct SyntheticTracesTests {
    private let points = """
        trace_id,seq,t,lat,lon,true_lat,true_lon\r
        a,0,100,43.70,7.40,43.70,7.40\r
        a,1,101,43.71,7.41,43.71,7.41\r
        b,0,200,43.72,7.42,43.72,7.42\r

        """
    private let truth = """
        trace_id,wkt
        a,"MULTILINESTRING ((7.40 43.70, 7.41 43.71), (7.41 43.71, 7.42 43.715))"
        b,LINESTRING (7.42 43.72, 7.43 43.73)

        """

    @Test func readsTracesAndTheirTrueRoutes() throws {
        let set = try SyntheticTraces(points: Array(points.utf8), truth: Array(truth.utf8))
        #expect(set.traces.map(\.id) == ["a", "b"])
        #expect(set.traces[0].fixes.count == 2)
        #expect(set.traces[0].fixes[1].time == 101)
        #expect(set.traces[0].fixes[1].longitude == 7.41)
        #expect(set.traces[0].truth.count == 2)
        #expect(set.traces[0].truth[1][1] == Coordinate(latitude: 43.715, longitude: 7.42))
        #expect(
            set.traces[1].truth == [
                [Coordinate(latitude: 43.72, longitude: 7.42), Coordinate(latitude: 43.73, longitude: 7.43)]
            ]
        )
    }

    @Test func aTraceWithoutTruthOrABadLineIsAnError() {
        #expect(throws: EvalError.self) {
            try SyntheticTraces(points: Array((points + "c,0,1,2,3\n").utf8), truth: Array(truth.utf8))
        }
        #expect(throws: EvalError.self) {
            try SyntheticTraces(points: Array((points + "a,2,x,2,3\n").utf8), truth: Array(truth.utf8))
        }
        #expect(throws: EvalError.self) {
            try SyntheticTraces(points: Array(points.utf8), truth: Array((truth + "c,LINESTRING (1 2, 3)\n").utf8))
        }
    }

    @Test func gridInputsAreSeededAndDownsampled() throws {
        let set = try SyntheticTraces(points: Array(points.utf8), truth: Array(truth.utf8))
        let trace = set.traces[0]
        #expect(MatchGrid.inputs(for: trace, interval: 2, noise: 0).count == 1)
        let first = MatchGrid.inputs(for: trace, interval: 1, noise: 20)
        let again = MatchGrid.inputs(for: trace, interval: 1, noise: 20)
        #expect(first.map(\.latitude) == again.map(\.latitude))
        #expect(first[0].latitude != trace.fixes[0].latitude)
        let exact = MatchGrid.inputs(for: trace, interval: 1, noise: 0)
        #expect(exact.map(\.latitude) == trace.fixes.map(\.latitude))
        #expect(abs(MatchGrid.accuracy(noise: 20) - (425.0).squareRoot()) < 1e-9)
    }

    @Test func seededNoiseIsStandardNormal() {
        var random = SeededRandom(seed: 7)
        let samples = (0 ..< 20_000).map { _ in random.gaussian() }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
        var same = SeededRandom(seed: 7)
        #expect(same.gaussian() == samples[0])
    }
}
