import FixstreamEval
import FixstreamOSM
import FixstreamRoads
import Foundation
import Testing

/// Map matching on the bundled Monaco map against the synthetic traces' true routes: a CI-sized slice of the
/// accuracy grid (`fixstream-bench mapmatch` runs all of it, with the peers, in Benchmarks/RESULTS.md).
///
/// Thresholds sit above what the matcher scores on the full set (RESULTS.md) with room for the smaller sample:
/// they catch a matcher that got worse, not noise.
struct MonacoMatchingTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // FixstreamEvalTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The Monaco graph and every fourth synthetic trace (25 of 100).
    static let fixture: (graph: RoadGraph, traces: [SyntheticTraces.Trace]) = {
        let imported = try! OSMImporter().importFile(
            atPath: repository.appendingPathComponent("Traces/maps/monaco-roads.osm").path
        )
        var builder = imported.makeBuilder()
        let folder = repository.appendingPathComponent("Tests/Fixtures/mapmatch/monaco-synthetic")
        let set = try! SyntheticTraces(
            points: Array(try! Data(contentsOf: folder.appendingPathComponent("points_1hz_sigma5.csv"))),
            truth: Array(try! Data(contentsOf: folder.appendingPathComponent("truth_routes.csv")))
        )
        return (builder.build(), set.traces.enumerated().filter { $0.offset % 4 == 0 }.map(\.element))
    }()

    @Test(
        arguments: [
            (interval: 1, noise: 0, bound: 0.02),
            (interval: 1, noise: 20, bound: 0.08),
            (interval: 5, noise: 50, bound: 0.35),
            (interval: 10, noise: 20, bound: 0.10),
            (interval: 30, noise: 0, bound: 0.10),
            (interval: 60, noise: 0, bound: 0.20),
        ]
    )
    func routeErrorStaysLow(interval: Int, noise: Int, bound: Double) {
        let matcher = RoadMatcher(graph: Self.fixture.graph)
        let score = MatchGrid.score(Self.fixture.traces, interval: interval, noise: noise, matcher: matcher)
        #expect(score.trueLength > 100_000)
        #expect(score.error < bound, "interval \(interval) s, noise \(noise) m: route error \(score.error)")
    }

    @Test func everyFixOfACleanTraceIsMatchedOnItsRoute() {
        let matcher = RoadMatcher(graph: Self.fixture.graph)
        var unmatched = 0
        var total = 0
        var chains = 0
        for trace in Self.fixture.traces {
            var state = MatchState()
            var output = MatchOutput()
            func count() {
                for fix in output.confirmed {
                    total += 1
                    if fix.position == nil { unmatched += 1 }
                    if fix.startsChain { chains += 1 }
                }
            }
            for (sequence, input) in MatchGrid.inputs(for: trace, interval: 1, noise: 0).enumerated() {
                matcher.match(
                    sequence: sequence,
                    time: input.time,
                    latitude: input.latitude,
                    longitude: input.longitude,
                    accuracy: 5,
                    state: &state,
                    output: &output
                )
                count()
            }
            matcher.finish(state: &state, output: &output)
            count()
        }
        #expect(total == Self.fixture.traces.reduce(0) { $0 + $1.fixes.count })
        #expect(unmatched * 100 < total)
        #expect(chains == Self.fixture.traces.count)
    }
}
