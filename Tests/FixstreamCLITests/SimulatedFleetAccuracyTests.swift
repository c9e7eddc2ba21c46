import FixstreamCLI
import Foundation
import Testing

/// The detectors against a simulated fleet with known truth, the way a user would run it: the bundled Monaco map
/// imported, 50 vehicles simulated for 90 minutes (fixed seed, the simulator's default noise: Gaussian noise,
/// multipath, dropouts, network backlogs, duplicates, reordering, late fixes), `process --fences --trips --eta`,
/// then `score`. Every alert type the truth covers must reach a precision and recall of 0.98, and the ETA five
/// minutes before arrival must be off by less than three minutes on average.
struct SimulatedFleetAccuracyTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let monaco = repository.appendingPathComponent("Traces/maps/monaco-roads.osm").path

    @Test func detectorsOnASimulatedMonacoFleet() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let map = directory.path("monaco.fxg")
        let fleet = directory.path("fleet")
        #expect(runFixstream(["map", "import", Self.monaco, "--out", map]).status == 0)
        let simulated = runFixstream([
            "simulate", "--map", map, "--vehicles", "50", "--duration", "90m", "--seed", "7", "--out", fleet,
        ])
        #expect(simulated.status == 0, "\(simulated.stderr)")

        // process writes to a file: with --eta its output is tens of megabytes.
        let alerts = fleet + "/alerts.jsonl"
        #expect(FileManager.default.createFile(atPath: alerts, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: alerts))
        let processed = MemoryOutput()
        let status = FixstreamCommand.main(
            [
                "process", "--fences", fleet + "/fences.geojson", "--trips", fleet + "/trips.json", "--eta",
                fleet + "/fixes.jsonl",
            ],
            stdout: FileDescriptorOutput(descriptor: handle.fileDescriptor),
            stderr: processed
        )
        try handle.close()
        #expect(status == 0, "\(processed.text)")

        let scored = runFixstream(["score", "--truth", fleet + "/truth.jsonl", "--alerts", alerts])
        #expect(scored.status == 0)
        let summary = try #require(scored.stdoutLines.last)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
        let types = try #require(json["types"] as? [String: [String: Any]])

        // The run covers what it should, so the bar below is not met by an empty test.
        func expected(_ type: String) -> Int { types[type]?["expected"] as? Int ?? 0 }
        #expect(expected("geofence.enter") > 300)
        #expect(expected("geofence.dwell") > 100)
        #expect(expected("stop.arrived") > 100)
        #expect(expected("idle.start") > 10)
        #expect(expected("gps.lost") > 30)
        #expect(expected("route.deviation") > 0)

        for (type, score) in types.sorted(by: { $0.key < $1.key }) where expected(type) > 0 {
            let precision = score["precision"] as? Double ?? 0
            let recall = score["recall"] as? Double ?? 0
            #expect(
                precision >= 0.98 && recall >= 0.98,
                "\(type): precision \(precision), recall \(recall)\n\(scored.stdout)"
            )
        }

        let eta = try #require(json["eta"] as? [[String: Any]])
        let fiveMinutes = try #require(eta.first { $0["horizon"] as? Int == 300 })
        #expect(fiveMinutes["n"] as? Int ?? 0 > 100)
        let error = try #require(fiveMinutes["mae"] as? Double)
        #expect(error < 180, "mean absolute ETA error 5 minutes before arrival: \(error) s")
    }
}
