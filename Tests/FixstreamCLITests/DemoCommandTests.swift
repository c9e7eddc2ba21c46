import FixstreamPipeline
import FixstreamWire
import Foundation
import Testing

@testable import FixstreamCLI

/// `fixstream demo`, run in-process on a small fleet replayed as fast as possible.
@Suite(.serialized)
struct DemoCommandTests {
    private let quick = [
        "--vehicles", "3", "--duration", "20m", "--speed", "max", "--exit", "--ingest-port", "0", "--osmand-port",
        "0", "--http-port", "0",
    ]

    /// The alert lines of a run: `HH:MM:SS  vehicle  type  what`, as (vehicle, type).
    private func alertLines(_ run: CommandRun) -> [(vehicle: String, type: String)] {
        run.stdoutLines.compactMap { line in
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 3, parts[0].count == 8, parts[0].filter({ $0 == ":" }).count == 2,
                AlertType(name: String(parts[2])) != nil
            else { return nil }
            return (String(parts[1]), String(parts[2]))
        }
    }

    @Test func runsTheBundledMapPrintsAlertsAndScoresThem() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.path("demo")
        let first = runFixstream(["demo", "--data", data] + quick)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("importing "))
        #expect(first.stdout.contains("monaco-roads.osm into \(data)/roads.fxg (not there yet)"))
        #expect(first.stdoutLines.contains { $0.hasPrefix("listening ingest=127.0.0.1:") })
        for path in ["/alerts/stream", "/alerts?since=0", "/vehicles", "/metrics"] {
            #expect(first.stdout.contains(path), "no \(path) URL")
        }
        let alerts = alertLines(first)
        #expect(Set(alerts.map(\.type)).count >= 4)
        #expect(Set(alerts.map(\.vehicle)) == ["sim-001", "sim-002", "sim-003"])
        #expect(first.stdoutLines.contains { $0.contains(#"stop.arrived      stop 0 "Depot""#) })
        #expect(first.stdoutLines.contains { $0.hasPrefix("replay done: ") })
        #expect(first.stdoutLines.contains { $0.hasPrefix("server: ") && $0.contains(" processed, ") })
        #expect(first.stdoutLines.contains { $0.hasPrefix("alerts: \(alerts.count) (") })
        #expect(first.stdoutLines.contains { $0.hasPrefix("type ") && $0.hasSuffix("precision  recall") })
        #expect(first.stdoutLines.contains { $0.hasPrefix("stop.arrived ") })
        #expect(first.stdoutLines.contains { $0.hasPrefix("ETA horizon ") })
        #expect(first.stderr.hasPrefix("fixstream demo: stopped; "))

        // Again in the same directory: the map is not imported twice, and the server starts afresh (the
        // checkpoints of the first run would otherwise take the depot as left already).
        let second = runFixstream(["demo", "--data", data] + quick)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!second.stdout.contains("importing "))
        #expect(alertLines(second).count == alerts.count)
    }

    @Test(arguments: [
        (["--vehicles", "0"], 2), (["--speed", "fast"], 2), (["--duration", "-5"], 2), (["extra"], 2),
        (["--ingest-port", "70000"], 2), (["--map", "/nonexistent/map.osm"], 1),
        (["--map", "/nonexistent/roads.fxg"], 1), (["--vehicles", "2000", "--duration", "7d"], 2),
    ])
    func badInputIsAnErrorNotACrash(arguments: [String], status: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = runFixstream(["demo", "--data", directory.path("demo")] + arguments)
        #expect(Int(run.status) == status)
        #expect(run.stderr.hasPrefix("fixstream: "))
        #expect(run.stdout.isEmpty || !run.stdout.contains("listening"))
    }

    @Test func helpAndUsage() {
        let help = runFixstream(["demo", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("Usage: fixstream demo"))
        #expect(runFixstream(["help"]).stdout.contains("  demo "))
    }
}
