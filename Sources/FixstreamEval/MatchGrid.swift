public import FixstreamGeo
public import FixstreamRoads

#if canImport(Glibc)
    import Glibc
#endif

/// The accuracy grid of Newson & Krumm: traces downsampled to one fix every `interval` seconds, with Gaussian
/// noise of `noise` metres (per axis) added, matched, and scored by ``RouteMismatch`` against their true routes.
///
/// The inputs are the same for every matcher scored: ``inputs(for:interval:noise:)`` is seeded by the grid point
/// and the trace, so Fixstream and a peer fed the exported files see the same fixes.
public enum MatchGrid {
    /// The sampling intervals of the grid, seconds.
    public static let intervals = [1, 5, 10, 30, 60]
    /// The added noise levels of the grid, metres.
    public static let noises = [0, 20, 50]
    /// The noise the synthetic traces already have, metres (σ per axis).
    public static let baseNoise = 5.0

    /// One input fix.
    public struct Input: Sendable {
        /// Seconds.
        public var time: Double
        /// Degrees.
        public var latitude: Double
        /// Degrees.
        public var longitude: Double
    }

    /// The standard deviation matchers are told for a grid point: the traces' own noise and the added noise.
    public static func accuracy(noise: Int) -> Double {
        (baseNoise * baseNoise + Double(noise * noise)).squareRoot()
    }

    /// A trace's fixes at a grid point: every `interval`-th fix (the first always), with seeded noise added.
    public static func inputs(for trace: SyntheticTraces.Trace, interval: Int, noise: Int) -> [Input] {
        var seed: UInt64 = 14_695_981_039_346_656_037
        for byte in "\(trace.id)/\(interval)/\(noise)".utf8 { seed = (seed ^ UInt64(byte)) &* 1_099_511_628_211 }
        var random = SeededRandom(seed: seed)
        var inputs: [Input] = []
        for (index, fix) in trace.fixes.enumerated() where index % interval == 0 {
            let north = Double(noise) * random.gaussian()
            let east = Double(noise) * random.gaussian()
            let metresPerDegreeLongitude = 111_195 * cos(fix.latitude * .pi / 180)
            inputs.append(
                Input(
                    time: fix.time,
                    latitude: fix.latitude + north / 111_195,
                    longitude: fix.longitude + east / metresPerDegreeLongitude
                )
            )
        }
        return inputs
    }

    /// Matches `inputs` as one vehicle and returns the route rebuilt from the confirmed fixes.
    public static func match(_ inputs: [Input], accuracy: Double, with matcher: RoadMatcher) -> MatchedRoute {
        var state = MatchState()
        var output = MatchOutput()
        var route = MatchedRoute()
        for (sequence, input) in inputs.enumerated() {
            matcher.match(
                sequence: sequence,
                time: input.time,
                latitude: input.latitude,
                longitude: input.longitude,
                accuracy: accuracy,
                state: &state,
                output: &output
            )
            for fix in output.confirmed { route.append(fix, path: output.path, graph: matcher.graph) }
        }
        matcher.finish(state: &state, output: &output)
        for fix in output.confirmed { route.append(fix, path: output.path, graph: matcher.graph) }
        return route
    }

    /// The length-weighted route mismatch over `traces` at one grid point, for Fixstream's matcher.
    public static func score(
        _ traces: [SyntheticTraces.Trace],
        interval: Int,
        noise: Int,
        matcher: RoadMatcher
    ) -> RouteMismatch {
        score(traces) { trace in
            match(inputs(for: trace, interval: interval, noise: noise), accuracy: accuracy(noise: noise), with: matcher)
                .pieces
        }
    }

    /// The length-weighted route mismatch over `traces`, for any matcher's geometry.
    public static func score(
        _ traces: [SyntheticTraces.Trace],
        matched: (SyntheticTraces.Trace) -> [[Coordinate]]
    ) -> RouteMismatch {
        var total = RouteMismatch(trueLength: 0, missed: 0, extra: 0)
        for trace in traces {
            let one = RouteMismatch(truth: trace.truth, matched: matched(trace))
            total.trueLength += one.trueLength
            total.missed += one.missed
            total.extra += one.extra
        }
        return total
    }
}
