import FixstreamStore
@preconcurrency import Foundation

/// `journal.*`: the alert journal on the real file system, in a temporary directory removed at the end.
///
/// - `journal.append.bN`: 1,000,000 alerts (bodies of 181 bytes on average, as the alert JSON writer renders them
///   without the id) appended in batches of N, one transaction per batch, as the alert thread would; every sample
///   is a fresh journal opened before the clock starts. `journal.append.full.b1024` is the same with
///   `synchronous=FULL` (one fsync per batch). Besides the rates: commit times per batch (p50, p99, max; the
///   tail is the commits that also checkpoint the log) and the log file's size at the end of the last run.
/// - `journal.read`: the whole journal read forward in pages of 1,000 (entries decoded, bodies copied).
/// - `journal.read.vehicle.sql` / `.swift`: one vehicle of 10,000 (100 alerts) found by a full scan, with the
///   filter evaluated by SQLite or on decoded entries in Swift. `journal.read.type`: the `geofence.` prefix.
/// - `journal.prune`: every alert removed by `maxRows: 0` in chunks of 10,000.
/// - `journal.sustained`: 5,000,000 alerts in batches of 1,024 into a journal that retention keeps at 1,000,000
///   (a prune with a budget of 4,096 after every batch, as the alert thread would run it; its time counts in the
///   batch's): the steady state, where appends reuse the pages retention frees. One timed run after the warm-up.
struct JournalBench {
    static let alerts = 1_000_000
    let records: [JournalRecord]
    let bodyBytes: Int
    let directory: URL

    /// Every benchmark's name, for the filter.
    static let names = [
        "journal.append.b16", "journal.append.b256", "journal.append.b1024", "journal.append.b4096",
        "journal.append.full.b1024", "journal.read", "journal.read.vehicle.sql", "journal.read.vehicle.swift",
        "journal.read.type", "journal.prune", "journal.sustained",
    ]

    init() throws {
        records = Self.makeRecords(count: Self.alerts)
        bodyBytes = records.reduce(0) { $0 + $1.body.count }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-journal-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Runs the journal benchmarks that pass the suite's filter, then removes every file it made.
    static func run(_ suite: inout BenchSuite) throws {
        if let filter = suite.filter, !names.contains(where: { $0.contains(filter) }) { return }
        let bench = try JournalBench()
        defer { try? FileManager.default.removeItem(at: bench.directory) }
        var local = suite
        local.samples = 3
        let runs = local.samples + 1  // and the warm-up
        var full: [AlertJournal] = []
        for batch in [16, 256, 1024, 4096] {
            let journals = try bench.append(&local, name: "journal.append.b\(batch)", batch: batch, runs: runs)
            if batch == 1024 { full = journals } else { bench.remove(journals) }
        }
        bench.remove(
            try bench.append(&local, name: "journal.append.full.b1024", batch: 1024, durability: .full, runs: runs)
        )

        // The read and prune benchmarks need full journals: fill them untimed when the appends were filtered out.
        guard names.dropFirst(5).contains(where: { local.filter.map($0.contains) ?? true }) else { return }
        while full.count < runs {
            let journal = try AlertJournal(
                dataDirectory: bench.directory.appendingPathComponent("fill-\(full.count)").path
            )
            for start in stride(from: 0, to: bench.records.count, by: 1024) {
                try journal.append(bench.records[start ..< min(bench.records.count, start + 1024)])
            }
            full.append(journal)
        }
        bench.read(&local, full[0])

        // Prune uses up the full journals, one per run.
        var queue = full
        local.run(
            "journal.prune",
            work: { () -> Int in
                try! queue.removeFirst().prune(JournalRetention(maxRows: 0), now: 0)
            }
        ) { removed, seconds in
            [("alerts/s", Double(removed) / seconds), ("ms per 10k chunk", seconds * 1000 / Double(removed / 10_000))]
        }
        bench.sustained(&suite)
    }

    /// `journal.sustained`: appends and retention together at the journal's steady-state size.
    private func sustained(_ suite: inout BenchSuite) {
        let name = "journal.sustained"
        guard suite.filter.map(name.contains) ?? true else { return }
        var local = suite
        local.samples = 1
        let retention = JournalRetention(maxRows: 1_000_000)
        let rounds = 5
        var run = 0
        var batchSeconds: [Double] = []
        var pruned = 0
        var fileBytes = 0
        local.run(
            name,
            work: { () -> Int in
                // Opening a new journal takes well under a millisecond: no need to keep it off the clock.
                run += 1
                let path = directory.appendingPathComponent("\(name)-\(run)").path
                defer { try? FileManager.default.removeItem(atPath: path) }
                let journal = try! AlertJournal(dataDirectory: path)
                batchSeconds.removeAll(keepingCapacity: true)
                for _ in 0 ..< rounds {
                    for start in stride(from: 0, to: records.count, by: 1024) {
                        let began = ContinuousClock.now
                        try! journal.append(records[start ..< min(records.count, start + 1024)])
                        try! journal.prune(retention, now: 0, budget: 4096)
                        batchSeconds.append(Self.seconds(ContinuousClock.now - began))
                    }
                }
                pruned = Int(journal.counters.pruned)
                let size = try? FileManager.default.attributesOfItem(atPath: journal.path)[.size]
                fileBytes = (size as? Int) ?? 0
                return pruned
            }
        ) { _, seconds in
            batchSeconds.sort()
            return [
                ("alerts/s", Double(records.count * rounds) / seconds),
                ("MB/s", Double(bodyBytes * rounds) / 1e6 / seconds),
                ("us per batch p99", batchSeconds[batchSeconds.count * 99 / 100] * 1e6),
                ("us per batch max", batchSeconds[batchSeconds.count - 1] * 1e6),
                ("pruned", Double(pruned)),
                ("file MB at the end", Double(fileBytes) / 1e6),
            ]
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// Closes `journals` and deletes their files.
    private func remove(_ journals: [AlertJournal]) {
        for journal in journals {
            try? FileManager.default.removeItem(atPath: String(journal.path.dropLast(AlertJournal.fileName.count)))
        }
    }

    /// Appends every record into a fresh journal per run (opened before the clock starts); returns the journals.
    private func append(
        _ suite: inout BenchSuite,
        name: String,
        batch: Int,
        durability: AlertJournal.Durability = .normal,
        runs: Int
    ) throws -> [AlertJournal] {
        guard suite.filter.map(name.contains) ?? true else { return [] }
        let journals = try (0 ..< runs).map { run in
            try AlertJournal(
                dataDirectory: directory.appendingPathComponent("\(name)-\(run)").path,
                durability: durability
            )
        }
        var next = 0
        var batchSeconds: [Double] = []
        suite.run(
            name,
            work: { () -> Int in
                let journal = journals[next]
                next += 1
                batchSeconds.removeAll(keepingCapacity: true)
                var start = 0
                var last: Int64 = 0
                while start < records.count {
                    let end = min(records.count, start + batch)
                    let began = ContinuousClock.now
                    last = try! journal.append(records[start ..< end]).upperBound
                    batchSeconds.append(Self.seconds(ContinuousClock.now - began))
                    start = end
                }
                return Int(last)
            }
        ) { _, seconds in
            // Commit times of the last run: checkpoints (and with FULL, fsyncs) show in the tail.
            batchSeconds.sort()
            let log = (try? FileManager.default.attributesOfItem(atPath: journals[next - 1].path + "-wal"))?[.size]
            return [
                ("log MB at the end", Double((log as? Int) ?? 0) / 1e6),
                ("alerts/s", Double(records.count) / seconds),
                ("MB/s", Double(bodyBytes) / 1e6 / seconds),
                ("us per batch p50", batchSeconds[batchSeconds.count / 2] * 1e6),
                ("us per batch p99", batchSeconds[batchSeconds.count * 99 / 100] * 1e6),
                ("us per batch max", batchSeconds[batchSeconds.count - 1] * 1e6),
            ]
        }
        return journals
    }

    private func read(_ suite: inout BenchSuite, _ journal: AlertJournal) {
        let total = Double(records.count)
        suite.run(
            "journal.read",
            work: { () -> Int in
                var cursor: Int64 = 0
                var count = 0
                var bytes = 0
                while true {
                    let page = try! journal.read(after: cursor, limit: 1_000)
                    if page.entries.isEmpty { break }
                    count += page.entries.count
                    for entry in page.entries { bytes += entry.body.count }
                    cursor = page.cursor
                }
                return count + bytes
            }
        ) { _, seconds in
            [("alerts/s", total / seconds), ("MB/s", Double(bodyBytes) / 1e6 / seconds)]
        }

        let vehicle = JournalFilter(vehicle: "van-4242")
        suite.run(
            "journal.read.vehicle.sql",
            work: { () -> Int in
                try! journal.read(after: 0, limit: 1_000, filter: vehicle).entries.count
            }
        ) { found, seconds in
            [("scanned alerts/s", total / seconds), ("found", Double(found))]
        }
        suite.run(
            "journal.read.vehicle.swift",
            work: { () -> Int in
                var cursor: Int64 = 0
                var found = 0
                while true {
                    let page = try! journal.read(after: cursor, limit: 1_000)
                    if page.entries.isEmpty { break }
                    found += page.entries.count { vehicle.matches($0) }
                    cursor = page.cursor
                }
                return found
            }
        ) { found, seconds in
            [("scanned alerts/s", total / seconds), ("found", Double(found))]
        }
        let geofence = JournalFilter(typePrefix: "geofence.")
        suite.run(
            "journal.read.type",
            work: { () -> Int in
                var cursor: Int64 = 0
                var found = 0
                while true {
                    let page = try! journal.read(after: cursor, limit: 1_000, filter: geofence)
                    if page.entries.isEmpty { break }
                    found += page.entries.count
                    cursor = page.cursor
                }
                return found
            }
        ) { found, seconds in
            [("scanned alerts/s", total / seconds), ("found", Double(found))]
        }
    }

    /// Alerts as the detectors raise them: 10,000 vehicles, a mix of geofence (with a fence), trip (with a trip),
    /// idle and GPS alerts, rendered as the alert JSON writer does (without the id), about 200 bytes each.
    static func makeRecords(count: Int) -> [JournalRecord] {
        var records: [JournalRecord] = []
        records.reserveCapacity(count)
        var random = SplitMix(seed: 42)
        let base: Int64 = 1_795_000_000_000
        for index in 0 ..< count {
            let vehicle = "van-\(index % 10_000)"
            let time = base + Int64(index) * 7
            let latitude = "47.\(eightDigits(random.next()))"
            let longitude = "8.\(eightDigits(random.next()))"
            // RFC 3339 with milliseconds, as alerts carry it.
            let stamp =
                Date(timeIntervalSince1970: Double(time / 1000)).formatted(.iso8601).dropLast()
                + ".\(String(time % 1000 + 1000).dropFirst())Z"
            var fence: String?
            var trip: String?
            let type: String
            let extra: String
            switch random.next() % 10 {
            case 0 ..< 4:
                type = ["geofence.enter", "geofence.exit", "geofence.dwell"][index % 3]
                fence = "fence-\(random.next() % 10_000)"
                extra =
                    #","fence":"\#(fence!)","name":"Depot \#(random.next() % 100) loading bay","speed":\#(random.next() % 90)"#
            case 4 ..< 7:
                type = ["stop.approaching", "stop.arrived", "eta.changed"][index % 3]
                trip = "trip-\(index % 50_000)"
                extra =
                    #","trip":"\#(trip!)","stop":"S\#(random.next() % 20)","eta":"\#(stamp)","distance_m":\#(random.next() % 5000)"#
            case 7 ..< 9:
                type = "idle.start"
                extra = #","duration_s":\#(random.next() % 3600),"detected_at":"\#(stamp)""#
            default:
                type = "gps.lost"
                extra = #","silence_s":\#(random.next() % 600),"last_fix":"\#(stamp)","source":"tcp""#
            }
            let body =
                #"{"type":"\#(type)","vehicle":"\#(vehicle)","time":"\#(stamp)","lat":\#(latitude),"lon":\#(longitude)\#(extra)}"#
            records.append(
                JournalRecord(
                    type: type,
                    vehicle: vehicle,
                    fence: fence,
                    trip: trip,
                    time: time,
                    body: Array(body.utf8)
                )
            )
        }
        return records
    }
}

/// Eight decimal digits of `value`, zero-padded.
private func eightDigits(_ value: UInt64) -> String {
    let digits = String(value % 100_000_000)
    return String(repeating: "0", count: 8 - digits.count) + digits
}

/// A small deterministic generator (SplitMix64).
private struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
