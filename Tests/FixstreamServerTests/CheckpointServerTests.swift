import FixstreamNet
import FixstreamPipeline
import FixstreamStore
import FixstreamWire
import Foundation
import Synchronization
import Testing

@testable import FixstreamServer

/// The latest fix count of each vehicle, from every shard.
final class CountLog: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func record(_ vehicle: VehicleID, _ count: Int) { counts.withLock { $0[vehicle.description] = count } }

    var all: [String: Int] { counts.withLock { $0 } }
}

/// Counts each vehicle's fixes and keeps the count in checkpoints, so a restart goes on counting.
final class FixCountStage: PipelineStage {
    let log: CountLog
    private var counts: [Int] = []

    init(log: CountLog) {
        self.log = log
    }

    var checkpointName: String { "count" }

    func process(_ fix: Fix, context: inout StageContext) {
        grow(to: context.slot)
        counts[context.slot] += 1
        log.record(context.vehicle, counts[context.slot])
    }

    func checkpoint(slot: Int, into writer: inout CheckpointWriter) {
        guard slot < counts.count else { return }
        writer.writeVersion(1)
        writer.write(counts[slot])
    }

    func restore(slot: Int, from reader: inout CheckpointReader, context: inout StageContext) throws(CheckpointError) {
        _ = try reader.readVersion(1 ... 1)
        let count = try reader.readInt()
        try reader.expectEnd()
        grow(to: slot)
        counts[slot] = count
    }

    private func grow(to slot: Int) {
        if counts.count <= slot { counts.append(contentsOf: repeatElement(0, count: slot + 1 - counts.count)) }
    }
}

@Suite(.serialized)
struct CheckpointServerTests {
    private func start(_ directory: URL, shards: Int, log: CountLog, interval: Int64 = 0) throws -> Server {
        var config = ServerConfig(cores: shards)
        config.dataDirectory = directory.path
        config.ingestPort = 0
        config.osmandPort = 0
        config.httpPort = 0
        config.checkpointInterval = interval
        return try Server.start(config, stages: { _ in [FixCountStage(log: log)] })
    }

    private func send(_ server: Server, vehicles: Int, seconds: Range<Int>) throws {
        var text = ""
        for vehicle in 0 ..< vehicles {
            for second in seconds { text += jsonLine("v\(vehicle)", second: second) }
        }
        try Client.sendTCP(text, to: SocketAddress(host: "127.0.0.1", port: server.ingestPort))
    }

    private func wait(_ server: Server, until condition: (Server.Statistics) -> Bool) {
        for _ in 0 ..< 500 where !condition(server.statistics()) { usleep(10_000) }
    }

    private func directory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-checkpoints-\(UUID())")
    }

    @Test func aRestartResumesEveryVehicleWhateverTheNumberOfShards() throws {
        let directory = directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = CountLog()
        let first = try start(directory, shards: 2, log: log)
        try send(first, vehicles: 5, seconds: 0 ..< 5)
        wait(first) { $0.processed == 25 }
        first.stop()
        #expect(first.statistics().checkpointsSaved == 5)
        #expect(first.statistics().checkpointsRestored == 0)
        #expect(try CheckpointStore(dataDirectory: directory.path).count == 5)

        let second = try start(directory, shards: 3, log: log)
        #expect(second.statistics().checkpointsRestored == 5)
        // The backlog resent after the restart is recognised; the new fixes count on.
        try send(second, vehicles: 5, seconds: 0 ..< 10)
        wait(second) { $0.processed + $0.filtered == 50 }
        second.stop()
        #expect(second.statistics().filtered == 25)
        #expect(log.all == Dictionary(uniqueKeysWithValues: (0 ..< 5).map { ("v\($0)", 10) }))
        #expect(second.summary.contains("checkpoints restored 5 saved 5"))
    }

    @Test func vehiclesThatChangedAreSavedWhileRunning() throws {
        let directory = directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try start(directory, shards: 2, log: CountLog(), interval: 100)
        defer { server.stop() }
        try send(server, vehicles: 3, seconds: 0 ..< 4)
        wait(server) { $0.checkpointsSaved >= 3 }
        #expect(server.statistics().checkpointsSaved == 3)
        #expect(try CheckpointStore(dataDirectory: directory.path).count == 3)
        #expect(server.metricsText().contains("fixstream_checkpoint_vehicles_total 3\n"))
        // Nothing changed since: later rounds save nothing more.
        usleep(300_000)
        #expect(server.statistics().checkpointsSaved == 3)
    }

    @Test func anUnreadableCheckpointIsSkippedAndCounted() throws {
        let directory = directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = CountLog()
        let first = try start(directory, shards: 1, log: log)
        try send(first, vehicles: 3, seconds: 0 ..< 2)
        wait(first) { $0.processed == 6 }
        first.stop()
        try CheckpointStore(dataDirectory: directory.path).save([("v1", [1, 2, 3]), ("not an id", [1])])

        let second = try start(directory, shards: 2, log: log)
        let statistics = second.statistics()
        #expect(statistics.checkpointsRestored == 2)
        #expect(statistics.checkpointErrors == 2)
        #expect(second.metricsText().contains("fixstream_checkpoint_restored 2\n"))
        #expect(second.metricsText().contains("fixstream_checkpoint_errors_total 2\n"))
        try send(second, vehicles: 3, seconds: 2 ..< 3)
        wait(second) { $0.processed == 3 }
        second.stop()
        #expect(log.all == ["v0": 3, "v1": 1, "v2": 3])
    }
}
