import FixstreamNet
import FixstreamPipeline
import FixstreamWire
import Foundation
import Synchronization
import Testing

@testable import FixstreamServer

/// `Server.observeAlerts`: programs embedding the server see every committed alert, numbered, in id order.
struct AlertObserverTests {
    @Test func everyCommittedAlertReachesTheObserverWithItsID() throws {
        let data = try TestData(shards: 2)
        defer { data.remove() }
        let server = try Server.start(data.config, stages: { _ in [AlertPerFixStage()] })
        let seen = Mutex<[(id: Int64, vehicle: String)]>([])
        server.observeAlerts { alerts, firstID in
            seen.withLock { seen in
                for (offset, alert) in alerts.enumerated() {
                    seen.append((firstID + Int64(offset), alert.vehicle.description))
                }
            }
        }
        var text = ""
        for vehicle in 0 ..< 4 { for second in 0 ..< 25 { text += jsonLine("v\(vehicle)", second: second) } }
        try Client.sendTCP(text, to: SocketAddress(host: "127.0.0.1", port: server.ingestPort))
        for _ in 0 ..< 500 where seen.withLock({ $0.count }) < 100 { usleep(10_000) }
        server.stop()
        let alerts = seen.withLock { $0 }
        #expect(alerts.map(\.id) == Array(1 ... 100))
        #expect(
            Dictionary(grouping: alerts, by: \.vehicle).mapValues(\.count) == ["v0": 25, "v1": 25, "v2": 25, "v3": 25]
        )
        #expect(server.statistics().pipeline[.gpsRestored] == 100)
    }
}
