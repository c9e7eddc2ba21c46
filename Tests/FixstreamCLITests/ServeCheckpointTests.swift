import FixstreamNet
import FixstreamServer
import Foundation
import Testing

@testable import FixstreamCLI

/// `serve` restarted on the same data directory: the detectors carry on from the checkpoints saved at the stop.
@Suite(.serialized)
struct ServeCheckpointTests {
    /// Sends `van-1` fixes for `seconds` after the test epoch, `north(second)` metres north of the depot.
    private func send(_ served: ServeAdminAPITests.Served, _ seconds: ClosedRange<Int>, north: (Int) -> Double) throws {
        var lines = ""
        for second in seconds {
            let latitude = 46.5 + north(second) / 111_195
            lines += #"{"id":"van-1","t":\#(1_795_255_200 + second),"lat":\#(latitude),"lon":7.25,"speed":10}"# + "\n"
        }
        let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: served.server.ingestPort))
        defer { Socket.close(fd) }
        let bytes = Array(lines.utf8)
        var offset = 0
        while offset < bytes.count {
            offset +=
                try bytes.withUnsafeBytes { try Socket.write(fd, UnsafeRawBufferPointer(rebasing: $0[offset...])) } ?? 0
        }
    }

    /// The geofence alerts in the alert file, as `type` and `duration` (when there is one).
    private func geofenceAlerts(_ directory: TemporaryDirectory) throws -> [String] {
        let text = try String(contentsOfFile: directory.path("alerts.jsonl"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let type = object["type"] as? String, type.hasPrefix("geofence.")
            else { return nil }
            return type + ((object["duration"] as? Double).map { " \($0)" } ?? "")
        }
    }

    @Test func aVehicleInsideAFenceAtTheRestartEntersOnceAndLeavesOnce() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try ServeAdminAPITests.Served(directory: directory)
        #expect(try first.request("PUT", "/fences/depot", body: ServeAdminAPITests.depot).status == 201)
        // North at 10 m/s into the depot (radius 100 m), to its centre, and on for 10 s more.
        try send(first, 0 ... 40) { Double(-300 + 10 * min($0, 30)) }
        first.waitProcessed(41)
        _ = try first.stop()
        #expect(try geofenceAlerts(directory) == ["geofence.enter"])

        let second = try ServeAdminAPITests.Served(directory: directory)
        #expect(second.server.statistics().checkpointsRestored == 1)
        // Still at the centre, then north out of it.
        try send(second, 41 ... 80) { Double(10 * max($0 - 50, 0)) }
        second.waitProcessed(40)
        _ = try second.stop()
        // Entered at about 21 s (20 m deep, a 10 m margin), left at about 61 s: one visit of about 40 s.
        let alerts = try geofenceAlerts(directory)
        #expect(alerts.map { $0.split(separator: " ")[0] } == ["geofence.enter", "geofence.exit"])
        if let duration = alerts.last?.split(separator: " ").last.flatMap({ Double($0) }) {
            #expect(abs(duration - 40) <= 3)
        }
    }

    @Test func theIntervalIsAnOptionAndAConfigKey() throws {
        func interval(_ arguments: [String]) throws -> Int64 {
            try ServeCommand.configuration(try Arguments(arguments, valued: ServeCommand.valued)).0.checkpointInterval
        }
        #expect(try interval([]) == 60_000)
        #expect(try interval(["--checkpoint-interval", "0"]) == 0)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("config.json", #"{"checkpoint-interval": 2.5}"#)
        #expect(try interval(["--config", config]) == 2_500)
        #expect(throws: CLIError.self) { try interval(["--checkpoint-interval", "-1"]) }
    }
}
