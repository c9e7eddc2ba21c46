// fixstream-bench: throughput benchmarks on real data. One JSON line per result.
//
//   swift run -c release fixstream-bench [name-filter]
//   swift run -c release fixstream-bench e2e   (the server on loopback; e2e.tcp, e2e.udp [rates], e2e.latency,
//                                             e2e.connections)
//   swift run -c release fixstream-bench sse   (the alert feed: sse.fanout, 100 clients)
//   swift run -c release fixstream-bench journal   (the alert journal: journal.append.*, journal.read.*, journal.prune)
//   swift run -c release fixstream-bench webhook   (webhook delivery over loopback: webhook.deliver.b100, .b1000)
//   swift run -c release fixstream-bench checkpoint   (vehicle checkpoints: checkpoint.save, .restore, .store.*)
//   swift run -c release fixstream-bench pipeline.match   (the map stages: pipeline.match, .detect, .trips)
//   swift run -c release fixstream-bench map   (the road map: map.read, map.import, map.load.monaco, .grid)
//   swift run -c release fixstream-bench mapmatch [--export DIR | --peer DIR]   (matching speed, accuracy grid)
//   swift run -c release fixstream-bench --write-inputs DIR   (the same inputs as files, for peers.sh)
//
// Run from the repository root (inputs are built from Traces/ and Tests/Fixtures/).

import FixstreamGeo
import FixstreamWire
import Foundation

#if DEBUG
    FileHandle.standardError.write(
        Data("fixstream-bench: refusing to run a debug build; use swift run -c release\n".utf8)
    )
    exit(1)
#else
    try runBenchmarks(Array(CommandLine.arguments.dropFirst()))
#endif

func runBenchmarks(_ arguments: [String]) throws {
    if arguments.first == "--replay-client" {
        try EndToEndBench.replayClient(Array(arguments.dropFirst()))
        return
    }
    if let filter = arguments.first, filter.hasPrefix("e2e") {
        try EndToEndBench().run(filter: filter, arguments: Array(arguments.dropFirst()))
        return
    }
    if let filter = arguments.first, filter.hasPrefix("sse") {
        try FeedBench.run(filter: filter)
        return
    }
    if let filter = arguments.first, filter.hasPrefix("journal") {
        var suite = BenchSuite(filter: filter)
        try JournalBench.run(&suite)
        return
    }
    if let filter = arguments.first, filter.hasPrefix("webhook") {
        var suite = BenchSuite(filter: filter)
        try WebhookBench.run(&suite)
        return
    }
    if let filter = arguments.first, filter.hasPrefix("mapmatch") {
        try MapMatchBench.run(arguments)
        return
    }
    if let filter = arguments.first, filter.hasPrefix("map") {
        var suite = BenchSuite(filter: filter)
        try MapBench.run(&suite)
        return
    }
    if let filter = arguments.first, filter.hasPrefix("checkpoint") {
        var suite = BenchSuite(filter: filter)
        try CheckpointBench.run(&suite)
        return
    }
    let inputs = try BenchInputs.build(minimumBytes: 50_000_000)

    if arguments.first == "--write-inputs", arguments.count == 2 {
        let directory = URL(fileURLWithPath: arguments[1])
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(inputs.nmea).write(to: directory.appendingPathComponent("bench.nmea"))
        try Data(inputs.json).write(to: directory.appendingPathComponent("bench.jsonl"))
        try GeofenceBench().writeInputs(to: directory)  // geofence-fences.geojson, geofence-points.csv
        print("wrote \(inputs.nmea.count) bytes of NMEA and \(inputs.json.count) bytes of JSON to \(directory.path)")
        exit(0)
    }
    let filter = arguments.first

    var suite = BenchSuite(filter: filter)

    suite.run("nmea.decode", work: { decodeAll(inputs.nmea, format: .nmea) }) { fixes, seconds in
        [
            ("sentences/s", Double(inputs.nmeaSentences) / seconds),
            ("fixes/s", Double(fixes) / seconds),
            ("MB/s", Double(inputs.nmea.count) / 1e6 / seconds),
        ]
    }

    suite.run("json.decode", work: { decodeAll(inputs.json, format: .json) }) { fixes, seconds in
        [
            ("objects/s", Double(inputs.jsonObjects) / seconds),
            ("fixes/s", Double(fixes) / seconds),
            ("MB/s", Double(inputs.json.count) / 1e6 / seconds),
        ]
    }

    // The whole `fixstream decode` path but the file system: chunks in, JSON lines out to a counting sink.
    suite.run("decode.cli.nmea", work: { decodeAndWrite(inputs.nmea) }) { _, seconds in
        [("sentences/s", Double(inputs.nmeaSentences) / seconds), ("MB/s", Double(inputs.nmea.count) / 1e6 / seconds)]
    }

    // The UDP ingest path without sockets: 10-line datagrams, each decoded and ended on its own.
    if filter == nil || "udp.decode".contains(filter!) {
        let packets = datagrams(of: inputs.json, lines: 10)
        let lines = packets.count * 10
        suite.run("udp.decode", work: { decodeDatagrams(packets) }) { _, seconds in
            [("fixes/s", Double(lines) / seconds)]
        }
    }

    // One shard's pipeline without IO: filters, ordering and the jump check, 1,000 vehicles.
    if filter == nil || "pipeline.engine".contains(filter!) {
        let fleet = try pipelineInput(vehicles: 1_000)
        suite.run("pipeline.engine", work: { runPipeline(fleet) }) { processed, seconds in
            [("fixes/s", Double(fleet.count) / seconds), ("processed", Double(processed))]
        }
    }

    // Geofences: 10,000 polygons over the Swiss drive, every fix through the index and signed distance.
    if filter == nil || "geofence.check".contains(filter!) || "geofence.build".contains(filter!) {
        let geofence = try GeofenceBench()
        let candidates = Double(geofence.check().candidates) / Double(geofence.latitudes.count)
        suite.run("geofence.check", work: geofence.check) { containments, seconds in
            [
                ("points/s", Double(geofence.latitudes.count) / seconds), ("containments", Double(containments)),
                ("candidates/point x1000", candidates * 1000),
            ]
        }
        let many = try geofence.moreFences(count: 100_000)
        suite.run("geofence.build", work: { FenceIndex(many).fences.count }) { fences, seconds in
            [("ms", seconds * 1000), ("fences", Double(fences))]
        }
    }

    // Every detector on one shard, and what a vehicle costs in memory.
    if filter == nil || "pipeline.detect".contains(filter!) || "state.bytes_per_vehicle".contains(filter!) {
        let geofence = try GeofenceBench(minimumPoints: 0)
        let fleet = try pipelineInput(vehicles: 1_000)
        suite.run("pipeline.detect", work: { runDetectors(fleet, fences: geofence.index) }) { alerts, seconds in
            [("fixes/s", Double(fleet.count) / seconds), ("alerts", Double(alerts))]
        }
        if filter == nil || "state.bytes_per_vehicle".contains(filter!) {
            let route = try pipelineInput(vehicles: 1)
            let cost = bytesPerVehicle(vehicles: 1_000_000, fences: geofence.index, route: route)
            print(#"{"name":"state.bytes_per_vehicle","unit":"bytes","value":\#(Int(cost)),"vehicles":1000000}"#)
        }
    }

    // The map stages on a synthetic town: matching alone, with the detectors, with trips timed over the roads.
    MatchBench.run(&suite, filter: filter)

    // The alert journal on disk (also alone: `fixstream-bench journal`).
    try JournalBench.run(&suite)

    // Webhook delivery over loopback (also alone: `fixstream-bench webhook`).
    try WebhookBench.run(&suite)

    // The road map: OSM import (also alone: `fixstream-bench map`).
    try MapBench.run(&suite)

    // Vehicle checkpoints of a shard of 1,000,000 vehicles (also alone: `fixstream-bench checkpoint`).
    try CheckpointBench.run(&suite)

    // The server end to end on loopback (also alone: `fixstream-bench e2e`, `fixstream-bench sse`).
    if filter == nil {
        try EndToEndBench().run(filter: nil)
        try FeedBench.run(filter: nil)
    }
}
