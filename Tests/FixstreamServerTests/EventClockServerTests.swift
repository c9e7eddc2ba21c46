import FixstreamDetect
import FixstreamNet
import FixstreamPipeline
import FixstreamWire
import Foundation
import Testing

@testable import FixstreamServer

/// `serve --clock event`: the shards' timers run on the newest event time, not on the wall clock.
@Suite(.serialized)
struct EventClockServerTests {
    /// Three hours ago, on a whole second: every fix of these tests is that old.
    private let past = (WallClock.milliseconds() / 1000 - 3 * 3600) * 1000

    private func line(_ vehicle: String, second: Int, north: Double = 0) -> String {
        let latitude = 46.5 + (north + Double(second) * 5) / 111_195
        return #"{"id":"\#(vehicle)","t":\#(past + Int64(second) * 1000),"lat":\#(latitude),"lon":7.25}"# + "\n"
    }

    /// Runs one shard with GPS loss after 120 s on `clock`: `a` reports for 10 s and falls silent, `b` reports
    /// every 10 s for `bSeconds`, both hours in the past. Returns the `gps.lost` alerts as (vehicle, seconds after
    /// the first fix).
    private func lostAlerts(clock: ServerConfig.Clock, bSeconds: Int) throws -> [(String, Int64)] {
        var data = try TestData(shards: 1)
        defer { data.remove() }
        data.config.clock = clock
        let server = try Server.start(data.config, stages: { _ in [GPSLossStage(lostAfter: 120_000)] })
        var text = ""
        for second in 0 ... 10 { text += line("a", second: second) }
        for second in stride(from: 0, through: bSeconds, by: 10) { text += line("b", second: second, north: 500) }
        let fixes = 11 + bSeconds / 10 + 1
        try Client.sendTCP(text, to: SocketAddress(host: "127.0.0.1", port: server.ingestPort))
        for _ in 0 ..< 500 where server.statistics().processed < fixes { usleep(10_000) }
        #expect(server.statistics().processed == fixes)
        server.stop()
        let alerts = try String(contentsOf: data.directory.appendingPathComponent("alerts.jsonl"), encoding: .utf8)
        return alerts.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["type"] as? String == "gps.lost", let vehicle = object["vehicle"] as? String,
                let time = (object["time"] as? String).flatMap({ text -> Timestamp? in
                    var text = text
                    return text.withUTF8 { TimestampParser.rfc3339(UnsafeRawBufferPointer($0)) }
                })
            else { return nil }
            return (vehicle, (time.millisecondsSinceEpoch - past) / 1000)
        }
    }

    @Test func anotherVehiclesFixesMoveTheClockPastTheDeadline() throws {
        // a's last fix at 10 s: lost at 130 s of event time, which b's fixes reach at 130 s.
        let alerts = try lostAlerts(clock: .event, bSeconds: 300)
        #expect(alerts.map(\.0) == ["a"])
        #expect(alerts.first?.1 == 130)
    }

    @Test func beforeTheDeadlineNothingIsLost() throws {
        #expect(try lostAlerts(clock: .event, bSeconds: 120).isEmpty)
    }

    @Test func onTheWallClockOldFixesLoseNobodyAtOnce() throws {
        // The same fixes: on wall time a's silence has lasted only as long as the test.
        #expect(try lostAlerts(clock: .wall, bSeconds: 300).isEmpty)
    }
}
