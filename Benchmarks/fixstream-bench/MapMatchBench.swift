import FixstreamEval
import FixstreamGeo
import FixstreamOSM
import FixstreamRoads
@preconcurrency import Foundation

/// `mapmatch.*`: the online matcher on the Monaco map with the 100 synthetic traces of
/// `Tests/Fixtures/mapmatch/monaco-synthetic` (1 Hz, σ 5 m, exact true routes).
///
/// - `mapmatch.online.1s`, `.10s`: fixes per second on one core, each trace one vehicle, every fix matched as it
///   arrives (lag 0: confirmed at once), at 1 s and 10 s sampling; `.lag5` the same with the default lag of 5.
/// - `mapmatch.grid`: route mismatch ((d− + d+) / d0, 10 m tolerance, length-weighted over the traces) at every
///   point of the grid of sampling intervals (1, 5, 10, 30, 60 s) and added noise (0, 20, 50 m per axis, on top
///   of the traces' own 5 m), one JSON line per point.
///
/// Peers are scored by the same code on the same inputs:
///   fixstream-bench mapmatch --export DIR     the grid's inputs as CSV (trace_id,seq,t,lat,lon,accuracy)
///   fixstream-bench mapmatch --peer DIR       also scores DIR/{peer}-interval-{S}s-noise-{N}m.jsonl files, one
///                                             line per trace: {"trace","coordinates":[[lon,lat],...],"parts":[...]}
enum MapMatchBench {
    static let points = "Tests/Fixtures/mapmatch/monaco-synthetic/points_1hz_sigma5.csv"
    static let truth = "Tests/Fixtures/mapmatch/monaco-synthetic/truth_routes.csv"

    static func run(_ arguments: [String]) throws {
        let filter = arguments.first { !$0.hasPrefix("--") && !$0.hasPrefix("/") && !$0.hasPrefix(".") }
        let set = try SyntheticTraces(
            points: Array(try Data(contentsOf: URL(fileURLWithPath: points))),
            truth: Array(try Data(contentsOf: URL(fileURLWithPath: truth)))
        )
        if let index = arguments.firstIndex(of: "--export"), index + 1 < arguments.count {
            try export(set, to: arguments[index + 1])
            return
        }
        let imported = try OSMImporter().importFile(atPath: MapBench.monaco)
        var builder = imported.makeBuilder()
        let graph = builder.build()
        var suite = BenchSuite(filter: filter)
        for interval in [1, 10] {
            for lag in [0, 5] {
                online(set, graph: graph, interval: interval, lag: lag, suite: &suite)
            }
        }
        if filter.map({ "mapmatch.grid".contains($0) }) ?? true {
            let peerDirectory = arguments.firstIndex(of: "--peer").flatMap {
                $0 + 1 < arguments.count ? arguments[$0 + 1] : nil
            }
            grid(set, graph: graph, peers: peerDirectory)
        }
    }

    /// Times matching every trace at `interval` as fast as possible, one vehicle per trace, on this thread.
    static func online(
        _ set: SyntheticTraces,
        graph: RoadGraph,
        interval: Int,
        lag: Int,
        suite: inout BenchSuite
    ) {
        var config = MatchConfig()
        config.lag = lag
        let matcher = RoadMatcher(graph: graph, config: config)
        let inputs = set.traces.map { MatchGrid.inputs(for: $0, interval: interval, noise: 0) }
        let fixes = inputs.reduce(0) { $0 + $1.count }
        let name = "mapmatch.online.\(interval)s" + (lag == 0 ? "" : ".lag\(lag)")
        suite.run(
            name,
            work: {
                var matched = 0
                var output = MatchOutput()
                for trace in inputs {
                    var state = MatchState()
                    for (sequence, input) in trace.enumerated() {
                        matcher.match(
                            sequence: sequence,
                            time: input.time,
                            latitude: input.latitude,
                            longitude: input.longitude,
                            accuracy: MatchGrid.baseNoise,
                            state: &state,
                            output: &output
                        )
                        if output.current != nil { matched += 1 }
                    }
                    matcher.finish(state: &state, output: &output)
                }
                return matched
            },
            metrics: { matched, seconds in
                [("fixes/s", Double(fixes) / seconds), ("matched %", 100 * Double(matched) / Double(fixes))]
            }
        )
    }

    /// Prints the accuracy grid for Fixstream (lag 5 and 0) and for every peer with result files.
    static func grid(_ set: SyntheticTraces, graph: RoadGraph, peers: String?) {
        var peerNames: [String] = []
        if let peers, let files = try? FileManager.default.contentsOfDirectory(atPath: peers) {
            let names = files.compactMap { file -> String? in
                guard file.hasSuffix(".jsonl"), let marker = file.range(of: "-interval-") else { return nil }
                return String(file[..<marker.lowerBound])
            }
            peerNames = Set(names).sorted()
        }
        for interval in MatchGrid.intervals {
            for noise in MatchGrid.noises {
                for lag in [5, 0] {
                    var config = MatchConfig()
                    config.lag = lag
                    let score = MatchGrid.score(
                        set.traces,
                        interval: interval,
                        noise: noise,
                        matcher: RoadMatcher(graph: graph, config: config)
                    )
                    report("fixstream.lag\(lag)", interval, noise, score)
                }
                for peer in peerNames {
                    let path = "\(peers!)/\(peer)-\(gridName(interval, noise)).jsonl"
                    guard let matched = try? readPeer(path) else { continue }
                    let score = MatchGrid.score(set.traces) { matched[$0.id] ?? [] }
                    report(peer, interval, noise, score)
                }
            }
        }
    }

    static func report(_ matcher: String, _ interval: Int, _ noise: Int, _ score: RouteMismatch) {
        print(
            String(
                format:
                    #"{"name":"mapmatch.grid","matcher":"%@","interval_s":%d,"noise_m":%d,"error":%.4f,"missed":%.4f,"extra":%.4f,"true_km":%.1f}"#,
                matcher,
                interval,
                noise,
                score.error,
                score.missed / score.trueLength,
                score.extra / score.trueLength,
                score.trueLength / 1000
            )
        )
        fflush(stdout)
    }

    static func gridName(_ interval: Int, _ noise: Int) -> String {
        "interval-\(interval)s-noise-\(noise)m"
    }

    /// Writes the grid's inputs, one CSV per point.
    static func export(_ set: SyntheticTraces, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for interval in MatchGrid.intervals {
            for noise in MatchGrid.noises {
                var text = "trace_id,seq,t,lat,lon,accuracy\n"
                let accuracy = String(format: "%.1f", MatchGrid.accuracy(noise: noise))
                for trace in set.traces {
                    for (sequence, input) in MatchGrid.inputs(for: trace, interval: interval, noise: noise).enumerated()
                    {
                        text += String(
                            format: "%@,%d,%.0f,%.7f,%.7f,%@\n",
                            trace.id,
                            sequence,
                            input.time,
                            input.latitude,
                            input.longitude,
                            accuracy
                        )
                    }
                }
                try text.write(
                    toFile: "\(directory)/\(gridName(interval, noise)).csv",
                    atomically: true,
                    encoding: .utf8
                )
            }
        }
        print("wrote \(MatchGrid.intervals.count * MatchGrid.noises.count) grid files to \(directory)")
    }

    /// A peer's matched geometry per trace, split into its pieces.
    static func readPeer(_ path: String) throws -> [String: [[Coordinate]]] {
        var result: [String: [[Coordinate]]] = [:]
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for line in text.split(whereSeparator: \.isNewline) {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["trace"] as? String, let coordinates = object["coordinates"] as? [[Double]]
            else { continue }
            let points = coordinates.compactMap { $0.count >= 2 ? Coordinate(latitude: $0[1], longitude: $0[0]) : nil }
            let starts = ((object["parts"] as? [Int]) ?? [0]).filter { $0 >= 0 && $0 < points.count } + [points.count]
            var pieces: [[Coordinate]] = []
            for (start, end) in zip(starts, starts.dropFirst()) where end > start {
                pieces.append(Array(points[start ..< end]))
            }
            result[id] = pieces
        }
        return result
    }
}
