import FixstreamCLI
import Foundation
import Testing

/// `fixstream process`: the pipeline offline over traces, deterministic output, merged traces, summaries.
struct ProcessCommandTests {
    /// A native JSON line for vehicle `id` at `second` past 2026-11-21T10:00:00Z, moving north 10 m per second.
    private func line(_ id: String, _ second: Int, north: Double? = nil) -> String {
        let lat = 46.5 + (north ?? Double(second) * 10) / 111_195
        return #"{"id":"\#(id)","t":\#(1_795_255_200 + second),"lat":\#(lat),"lon":7.25}"#
    }

    @Test func acceptedFixesMatchDecodeForAnOrderlyTrace() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trace = try directory.write("a.jsonl", (0 ..< 20).map { line("a", $0) }.joined(separator: "\n"))
        let processed = runFixstream(["process", "--fixes", trace])
        let decoded = runFixstream(["decode", trace])
        #expect(processed.status == 0)
        #expect(processed.stdoutLines.count == 20)
        #expect(processed.stdout == decoded.stdout)
        #expect(processed.stderr.contains("pipeline 20 processed; 1 vehicles; filtered 0"))
    }

    @Test func withoutFixesOnlyAlertsAreWritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trace = try directory.write("a.jsonl", (0 ..< 5).map { line("a", $0) }.joined(separator: "\n"))
        let run = runFixstream(["process", trace])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)  // no detector stages yet produce alerts on a plain drive
    }

    @Test func tracesAreMergedByTimeAndOutputIsDeterministic() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let a = try directory.write(
            "a.jsonl",
            stride(from: 0, to: 20, by: 2).map { line("a", $0) }.joined(separator: "\n")
        )
        let b = try directory.write(
            "b.jsonl",
            stride(from: 1, to: 20, by: 2).map { line("b", $0) }.joined(separator: "\n")
        )
        let first = runFixstream(["process", "--fixes", a, b])
        let second = runFixstream(["process", "--fixes", a, b])
        #expect(first.stdout == second.stdout)
        let vehicles = first.stdoutLines.map { $0.contains(#""vehicle":"a""#) ? "a" : "b" }
        #expect(vehicles == Array(repeating: ["a", "b"], count: 10).flatMap { $0 })
    }

    @Test func duplicatesLateFixesAndJumpsAreCountedByReason() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let lines = [
            line("v", 0), line("v", 1), line("v", 1),  // duplicate
            line("v", 3), line("v", 2),  // late (first disorder: nothing held yet)
            line("v", 4, north: 50_000),  // 50 km in a second
            line("v", 5), line("v", 6),
            #"{"id":"v","t":1795255207,"lat":0,"lon":0}"#,
            #"{"id":"v","t":1795255208,"lat":46.5,"lon":7.25,"acc":500}"#,
        ]
        let trace = try directory.write("v.jsonl", lines.joined(separator: "\n"))
        let run = runFixstream(["process", "--fixes", trace])
        #expect(run.status == 0)
        #expect(run.stdoutLines.count == 5)
        #expect(
            run.stderr.contains(
                "pipeline 5 processed; 1 vehicles; filtered 5 (zero_coordinates=1 duplicate=1 late=1 "
                    + "implausible_jump=1 poor_accuracy=1)"
            )
        )
    }

    @Test func outOfOrderFixesAfterTheFirstDisorderComeOutInOrder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Second 2 arrives late (counted); from then on the vehicle is held and 5-before-4 is put back in order.
        let order = [0, 1, 3, 2, 5, 4, 6, 7, 8, 9, 10, 11, 12]
        let trace = try directory.write("v.jsonl", order.map { line("v", $0) }.joined(separator: "\n"))
        let run = runFixstream(["process", "--fixes", trace])
        let seconds = run.stdoutLines.compactMap { line -> Int? in
            guard let range = line.range(of: #"T10:00:"#) else { return nil }
            return Int(line[range.upperBound...].prefix(2))
        }
        #expect(seconds == [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        #expect(run.stderr.contains("late=1"))
        #expect(run.stderr.contains("reordered 1"))
    }

    @Test func badOptionsAndMissingFilesFailClearly() throws {
        let missing = runFixstream(["process", "/nonexistent/trace.jsonl"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("fixstream: cannot open '/nonexistent/trace.jsonl'"))
        let noTrace = runFixstream(["process"])
        #expect(noTrace.status == 2)
        let badFlag = runFixstream(["process", "--max-speed", "fast", "x"])
        #expect(badFlag.status == 2)
        #expect(badFlag.stderr.contains("--max-speed"))
        let help = runFixstream(["process", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("Usage: fixstream process"))
    }
}

/// `process` with the detectors on: a halt and a silence in a constructed trace become alert lines.
struct ProcessDetectorTests {
    @Test func haltsAndSilencesBecomeAlertLines() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var lines: [String] = []
        func add(_ second: Int, north: Double) {
            let lat = 46.5 + north / 111_195
            lines.append(#"{"id":"van-9","t":\#(1_795_255_200 + second),"lat":\#(lat),"lon":7.25}"#)
        }
        for second in 0 ..< 60 { add(second, north: Double(second) * 10) }  // drive 600 m
        for second in 60 ..< 300 { add(second, north: 600) }  // halt 4 minutes
        for second in 300 ..< 330 { add(second, north: 600 + Double(second - 300) * 10) }  // drive on
        for second in 600 ..< 610 { add(second, north: 900 + Double(second - 600) * 10) }  // after a 270 s silence
        let trace = try directory.write("van-9.jsonl", lines.joined(separator: "\n"))
        let run = runFixstream(["process", trace])
        #expect(run.status == 0)
        let types = run.stdoutLines.compactMap { line -> String? in
            guard let range = line.range(of: #""type":""#) else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
        #expect(types == ["idle.start", "idle.end", "gps.lost", "gps.restored"])
        #expect(
            run.stdoutLines.first?.hasPrefix(
                #"{"id":1,"type":"idle.start","vehicle":"van-9","time":"2026-11-21T10:00:5"#
            ) == true
        )
        #expect(run.stdoutLines.last?.contains(#""gap":271"#) == true)
        #expect(run.stderr.contains("alerts 4 (idle.start=1 idle.end=1 gps.lost=1 gps.restored=1)"))
        // The same input gives the same bytes.
        #expect(runFixstream(["process", trace]).stdout == run.stdout)
        // Detectors can be switched off.
        #expect(runFixstream(["process", "--gps-lost", "0", "--idle-after", "0", trace]).stdout.isEmpty)
    }
}
