import FixstreamServer
import Foundation
import Testing

@testable import FixstreamCLI

/// `replay --as-recorded`: a fleet file replayed with its own times and order, as a simulated fleet needs.
@Suite(.serialized)
struct ReplayAsRecordedTests {
    @Test func fixesKeepTheirOwnTimes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let served = try ServeAdminAPITests.Served(directory: directory, extra: ["--clock", "event"])
        // Two vans, a fix a second for a minute, a year ago; the second van's lines come late in the file for
        // its last ten fixes (a backlog delivered in one burst).
        var lines: [String] = []
        var backlog: [String] = []
        for second in 0 ..< 60 {
            for van in ["van-a", "van-b"] {
                let latitude = 46.5 + Double(second * 10) / 111_195
                let line =
                    #"{"id":"\#(van)","t":\#(1_763_800_000 + second),"lat":\#(latitude),"lon":7.25,"speed":10}"#
                if van == "van-b" && second >= 50 { backlog.append(line) } else { lines.append(line) }
            }
        }
        let fleet = try directory.write("fleet.jsonl", (lines + backlog).joined(separator: "\n") + "\n")
        let run = runFixstream([
            "replay", fleet, "--to", "tcp://127.0.0.1:\(served.server.ingestPort)", "--as-recorded", "--speed", "max",
            "--connections", "2",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines.last?.hasPrefix("replay: sent 120 fixes") == true, "\(run.stdout)")
        for _ in 0 ..< 500 where served.server.statistics().processed < 120 { usleep(10_000) }
        #expect(served.server.statistics().processed == 120)
        // The last fix of each van is the one recorded at 59 s: times kept, nothing rejected as late or old.
        for van in ["van-a", "van-b"] {
            let body = try served.request("GET", "/vehicles/\(van)").body
            #expect(body.contains(#""time":"2025-11-22T08:27:39.000Z""#), "\(body)")
        }
        _ = try served.stop()
    }

    @Test func aFanOutIsNotARecording() {
        let run = runFixstream(["replay", "x.jsonl", "--to", "tcp://127.0.0.1:1", "--as-recorded", "--vehicles", "2"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--as-recorded"))
    }
}
