import FixstreamLoad
import FixstreamNet
import FixstreamPipeline
import FixstreamWire
import Testing

@testable import FixstreamServer

/// `replay` against a real server: everything it sends arrives, over each transport.
@Suite(.serialized)
struct ReplayToServerTests {
    private func trace(_ id: String, count: Int) -> [Fix] {
        (0 ..< count).map { i in
            Fix(
                vehicle: VehicleID(id)!,
                time: Timestamp(millisecondsSinceEpoch: 1_270_000_000_000 + Int64(i) * 1000),
                latitude: 49 + Double(i) * 10 / 111_195,
                longitude: 12,
                speed: 10,
                source: .nmea
            )
        }
    }

    @Test(arguments: ["tcp", "udp", "http"])
    func everyReplayedFixIsProcessed(scheme: String) throws {
        let test = try TestServer(shards: 2)
        defer { test.stop() }
        let port = scheme == "http" ? test.server.osmandPort : test.server.ingestPort
        var options = ReplayOptions()
        options.speed = nil
        options.vehicles = 30
        options.connections = 3
        let replayer = Replayer(
            traces: [trace("rp-\(scheme)", count: 40)],
            options: options,
            target: ReplayTarget("\(scheme)://127.0.0.1:\(port)")!
        )
        let result = try replayer.run()
        #expect(result.sent == 1_200)
        if scheme == "http" { #expect(result.statuses == [200: 1_200]) }
        #expect(test.eventually { test.log.all.count == 1_200 })
        for (_, fixes) in test.log.byVehicle {
            #expect(fixes.count == 40)
        }
        #expect(test.snapshot.pipeline.rejected == 0)
    }
}
