import FixstreamCLI
import Foundation
import Testing

/// `fixstream score`: a table and a JSON summary from truth and alerts files.
struct ScoreCommandTests {
    private let truth = """
        {"kind":"run","seed":"1","vehicles":1,"start":"2026-06-01T06:00:00.000Z","end":"2026-06-01T08:00:00.000Z","fixes":7200}
        {"kind":"power","vehicle":"v","trip":"t","on":"2026-06-01T06:00:00.000Z","off":"2026-06-01T07:50:00.000Z"}
        {"kind":"halt","vehicle":"v","start":"2026-06-01T06:10:00.000Z","end":"2026-06-01T06:20:00.000Z","lat":43.7,"lon":7.4}

        """

    /// The cells of the table row for `type`.
    private func row(_ type: String, in text: String) -> [String] {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(type + " ") }) else { return [] }
        return line.split(separator: " ").dropFirst().map(String.init)
    }

    @Test func printsATableAndAJSONSummary() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let truthPath = try directory.write("truth.jsonl", truth)
        let alerts = try directory.write(
            "alerts.jsonl",
            #"""
            {"id":1,"type":"idle.start","vehicle":"v","time":"2026-06-01T06:10:05.000Z","lat":43.7,"lon":7.4}
            {"id":2,"type":"idle.end","vehicle":"v","time":"2026-06-01T06:21:00.000Z","lat":43.7,"lon":7.4}
            {"vehicle":"v","time":"2026-06-01T06:21:00.000Z","lat":43.7,"lon":7.4}

            """#
        )
        let run = runFixstream(["score", "--truth", truthPath, "--alerts", alerts, "--explain"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("type "))
        #expect(row("idle.start", in: run.stdout) == ["1", "1", "0", "1", "0", "0/0", "1.0", "1.0"])
        #expect(row("idle.end", in: run.stdout) == ["1", "0", "1", "1", "1", "0/0", "0.0", "0.0"])
        #expect(run.stdout.contains("idle.end:\n  missed  v  2026-06-01T06:20:00.000Z: end of a halt"))
        let summary = try #require(run.stdoutLines.last)
        let json = try JSONSerialization.jsonObject(with: Data(summary.utf8)) as! [String: Any]
        let types = json["types"] as! [String: [String: Any]]
        #expect(types["idle.start"]?["recall"] as? Double == 1)
        #expect(types["idle.end"]?["recall"] as? Double == 0)
        // A wider tolerance takes the late idle.end.
        let wide = runFixstream(["score", "--truth", truthPath, "--alerts", alerts, "--tolerance", "90"])
        #expect(row("idle.end", in: wide.stdout) == ["1", "1", "0", "1", "0", "0/0", "1.0", "1.0"])
    }

    @Test func aBrokenTruthFileIsNamedWithItsLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let truthPath = try directory.write("truth.jsonl", truth + #"{"kind":"halt","vehicle":"v"}"# + "\n")
        let alerts = try directory.write("alerts.jsonl", "")
        let run = runFixstream(["score", "--truth", truthPath, "--alerts", alerts])
        #expect(run.status == 2)
        #expect(run.stderr.contains("line 4: start is missing"))
        #expect(runFixstream(["score", "--truth", truthPath]).status == 2)
        #expect(runFixstream(["score", "--truth", "/nonexistent", "--alerts", alerts]).status == 1)
    }
}
