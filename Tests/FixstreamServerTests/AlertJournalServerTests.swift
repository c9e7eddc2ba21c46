import FixstreamNet
import FixstreamPipeline
import FixstreamStore
import FixstreamWire
import Foundation
import Testing

@testable import FixstreamServer

/// A stage that raises one `gps.restored` alert per fix, naming a fence, so every fix gives a journaled alert.
final class AlertPerFixStage: PipelineStage {
    func process(_ fix: Fix, context: inout StageContext) {
        context.emit(
            Alert(
                type: .gpsRestored,
                vehicle: context.vehicle,
                time: fix.time,
                latitude: fix.latitude,
                longitude: fix.longitude,
                fields: [AlertField("fence", .string("f-\(context.vehicle)"))]
            )
        )
    }
}

@Suite(.serialized)
struct AlertJournalServerTests {
    private func start(_ directory: URL) throws -> Server {
        var config = ServerConfig(cores: 2)
        config.dataDirectory = directory.path
        config.ingestPort = 0
        config.osmandPort = 0
        config.httpPort = 0
        return try Server.start(config, stages: { _ in [AlertPerFixStage()] })
    }

    private func send(_ server: Server, vehicles: Int, fixes: Int, from second: Int = 0) throws {
        var text = ""
        for vehicle in 0 ..< vehicles {
            for step in 0 ..< fixes { text += jsonLine("v\(vehicle)", second: second + step) }
        }
        try Client.sendTCP(text, to: SocketAddress(host: "127.0.0.1", port: server.ingestPort))
    }

    private func lines(_ directory: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: directory.appendingPathComponent("alerts.jsonl"), encoding: .utf8)
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test func everyAlertIsJournaledWithTheIDTheAlertFileShows() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-journal-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try start(directory)
        try send(server, vehicles: 5, fixes: 40)
        for _ in 0 ..< 500 where server.statistics().processed < 200 { usleep(10_000) }
        server.stop()
        #expect(server.metrics.snapshot().alerts.written == 200)
        #expect(server.metricsText().contains("fixstream_journal_last_id 200"))

        let journal = try AlertJournal(dataDirectory: directory.path, access: .readOnly)
        let entries = try journal.read(after: 0, limit: 1000).entries
        #expect(entries.map(\.id) == Array(1 ... 200))
        let file = try lines(directory)
        #expect(file.compactMap { $0["id"] as? Int } == Array(1 ... 200))
        // The journal's JSON is the file's line, id included.
        let first = try JSONSerialization.jsonObject(with: Data(entries[0].json)) as? [String: Any]
        #expect(first?["id"] as? Int == 1)
        #expect(first?["vehicle"] as? String == file[0]["vehicle"] as? String)
        #expect(entries.allSatisfy { $0.type == "gps.restored" && $0.fence == "f-" + $0.vehicle })
        // Per vehicle, the journal keeps the pipeline's order.
        let times = entries.filter { $0.vehicle == "v3" }.map(\.time)
        #expect(times == times.sorted())
    }

    @Test func idsContinueAcrossRestartsAndAfterAnOlderAlertFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-journal-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Alerts written by a build without the journal: their ids must never be reused.
        try Data(#"{"id":500,"type":"gps.lost","vehicle":"old"}"#.utf8 + [10])
            .write(to: directory.appendingPathComponent("alerts.jsonl"))
        let first = try start(directory)
        try send(first, vehicles: 1, fixes: 10)
        for _ in 0 ..< 500 where first.statistics().processed < 10 { usleep(10_000) }
        first.stop()
        let second = try start(directory)
        try send(second, vehicles: 1, fixes: 10, from: 100)
        for _ in 0 ..< 500 where second.statistics().processed < 10 { usleep(10_000) }
        second.stop()
        let journal = try AlertJournal(dataDirectory: directory.path, access: .readOnly)
        #expect(try journal.read(after: 0, limit: 100).entries.map(\.id) == Array(501 ... 520))
        #expect(try lines(directory).compactMap { $0["id"] as? Int } == [500] + Array(501 ... 520))
    }
}
