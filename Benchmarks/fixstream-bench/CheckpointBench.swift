import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamStore
import FixstreamWire
@preconcurrency import Foundation

/// `checkpoint.*`: what checkpoints cost for one shard of 1,000,000 vehicles with every detector on (GPS loss,
/// geofences over 10,000 fences along the Swiss drive, idle), each having sent 20 fixes along the drive (so the
/// idle detector's ring of recent fixes is full).
///
/// - `checkpoint.save`: serializing every vehicle (`checkpoint(dirtyOnly: false)`), per vehicle and in bytes; and
///   `checkpoint.chunk`: the longest of the 256-vehicle steps a shard takes between two batches of fixes (p50,
///   p99, max), which is what a fix can wait behind a round.
/// - `checkpoint.restore`: every vehicle restored into a fresh engine, as at a start.
/// - `checkpoint.store.save` / `.load`: the rows saved to `checkpoints.sqlite3` in transactions of 65,536 (what the
///   checkpoint thread takes at most at once), into an empty store and over a full one; and read back.
enum CheckpointBench {
    static let vehicles = 1_000_000
    static let names = ["checkpoint.save", "checkpoint.chunk", "checkpoint.restore", "checkpoint.store"]

    static func run(_ suite: inout BenchSuite) throws {
        if let filter = suite.filter, !names.contains(where: { $0.contains(filter) }) { return }
        let fences = try GeofenceBench(minimumPoints: 0).index
        let route = try pipelineInput(vehicles: 1)
        let engine = fleet(fences: fences, route: route)
        var local = suite
        local.samples = 3

        // The rows the restore and store benchmarks use, also when `checkpoint.save` is filtered out.
        var rows = engine.checkpoint(dirtyOnly: false)
        local.run(
            "checkpoint.save",
            work: {
                rows = engine.checkpoint(dirtyOnly: false); return rows.count
            }
        ) {
            count,
            seconds in
            let bytes = rows.reduce(0) { $0 + $1.1.count }
            return [
                ("ns/vehicle", seconds * 1e9 / Double(count)), ("bytes/vehicle", Double(bytes) / Double(count)),
                ("vehicles/s", Double(count) / seconds),
            ]
        }
        if local.filter.map("checkpoint.chunk".contains) ?? true { chunks(engine) }

        local.run(
            "checkpoint.restore",
            work: {
                let fresh = makeEngine(fences: fences)
                let now = Timestamp(millisecondsSinceEpoch: 1_795_000_100_000)
                for (vehicle, blob) in rows { try? fresh.restore(vehicle, blob, now: now) }
                return fresh.vehicleCount
            },
            metrics: { count, seconds in
                [("ns/vehicle", seconds * 1e9 / Double(count)), ("vehicles/s", Double(count) / seconds)]
            }
        )

        if local.filter.map("checkpoint.store".contains) ?? true { try store(rows) }
    }

    /// One shard's engine with every detector.
    private static func makeEngine(fences: FenceIndex) -> ShardEngine {
        ShardEngine(
            config: PipelineConfig(),
            clock: .external,
            stages: Detectors.stages(DetectorConfig(), fences: fences)
        )
    }

    /// The fleet: every vehicle sends 20 fixes a second apart, from its own point of the drive.
    private static func fleet(fences: FenceIndex, route: [Fix]) -> ShardEngine {
        let engine = makeEngine(fences: fences)
        let ids = (0 ..< vehicles).map { VehicleID("vehicle-\($0)")! }
        var output = PipelineOutput()
        for round in 0 ..< 20 {
            for vehicle in 0 ..< vehicles {
                var fix = route[(vehicle * 7 + round) % route.count]
                fix.vehicle = ids[vehicle]
                fix.time = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000 + Int64(round) * 1000)
                engine.offer(fix, now: fix.time, into: &output)
                output.removeAll()
            }
        }
        return engine
    }

    /// The steps of a round as a shard takes them, timed one by one.
    private static func chunks(_ engine: ShardEngine) {
        var times: [Double] = []
        var cursor = 0
        var count = 0
        while cursor < engine.vehicleCount {
            let start = ContinuousClock.now
            count += engine.checkpoint(dirtyOnly: false, from: &cursor, limit: 256).count
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.attoseconds) * 1e-15 + Double(elapsed.components.seconds) * 1e3)
        }
        times.sort()
        let p50 = times[times.count / 2]
        let p99 = times[times.count * 99 / 100]
        print(
            #"{"name":"checkpoint.chunk","unit":"ms","p50":\#(p50),"p99":\#(p99),"max":\#(times.last!),"vehicles_per_chunk":256,"vehicles":\#(count)}"#
        )
    }

    /// Saves the rows to a fresh store (then again over the full one) and loads them back.
    private static func store(_ rows: [(VehicleID, [UInt8])]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fixstream-checkpoints-\(getpid())"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try CheckpointStore(dataDirectory: directory.path)
        let strings = rows.map { ($0.0.description, $0.1) }
        for phase in ["empty", "full"] {
            let start = ContinuousClock.now
            var offset = 0
            while offset < strings.count {
                let end = min(offset + 65_536, strings.count)
                try store.save(strings[offset ..< end])
                offset = end
            }
            let seconds = (ContinuousClock.now - start) / .seconds(1)
            print(
                #"{"name":"checkpoint.store.save.\#(phase)","unit":"vehicles/s","value":\#(Int(Double(rows.count) / seconds)),"seconds":\#(seconds)}"#
            )
        }
        var size = 0
        for suffix in ["", "-wal"] {
            let path = store.path + suffix
            size += ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        }
        let start = ContinuousClock.now
        var loaded = 0
        try store.load { _, state in loaded += state.count }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        print(
            #"{"name":"checkpoint.store.load","unit":"vehicles/s","value":\#(Int(Double(rows.count) / seconds)),"seconds":\#(seconds),"file_bytes":\#(size),"state_bytes":\#(loaded)}"#
        )
    }
}
