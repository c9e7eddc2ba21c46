import FixstreamStore
import Foundation
import Synchronization

/// The newest committed id, as the alert dispatcher publishes it: what the webhook dispatcher polls.
final class CommitMark: Sendable {
    private let value: Atomic<Int64>

    init(_ value: Int64) { self.value = Atomic(value) }

    var id: Int64 { value.load(ordering: .acquiring) }

    func set(_ id: Int64) { value.store(id, ordering: .releasing) }
}

/// A real alert journal in a fresh temporary directory, written by the test as the alert thread would.
final class TestJournal {
    let directory: String
    let journal: AlertJournal
    let mark: CommitMark

    init() throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-webhooks-\(UUID().uuidString)")
            .path
        journal = try AlertJournal(dataDirectory: directory)
        mark = CommitMark(try journal.lastID)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The closure the dispatcher reads the newest committed id with.
    var lastCommittedID: @Sendable () -> Int64 { { [mark] in mark.id } }

    /// Appends `records` in one transaction and publishes the new last id; returns the ids given.
    @discardableResult
    func append(_ records: [JournalRecord]) throws -> ClosedRange<Int64> {
        let ids = try journal.append(records)
        mark.set(ids.upperBound - 1)
        return ids.lowerBound ... ids.upperBound - 1
    }

    /// Appends `count` alerts of `type` for `vehicle`.
    @discardableResult
    func append(_ count: Int, type: String = "gps.lost", vehicle: String = "van-1") throws -> ClosedRange<Int64> {
        try append((0 ..< count).map { _ in alertRecord(type, vehicle: vehicle) })
    }
}

/// A journal record whose body is a small alert JSON object naming its fields (no id).
func alertRecord(
    _ type: String = "gps.lost",
    vehicle: String = "van-1",
    fence: String? = nil,
    trip: String? = nil,
    time: Int64 = 1_795_000_000_000
) -> JournalRecord {
    var body = #"{"type":"\#(type)","vehicle":"\#(vehicle)""#
    if let fence { body += #","fence":"\#(fence)""# }
    if let trip { body += #","trip":"\#(trip)""# }
    body += #","lat":47.37,"lon":8.54}"#
    return JournalRecord(type: type, vehicle: vehicle, fence: fence, trip: trip, time: time, body: Array(body.utf8))
}

/// Waits (up to `seconds`) until `condition` holds, re-checking every 10 ms; returns whether it did.
///
/// It sleeps with `Task.sleep`, never blocking a thread of the shared pool. The limit is generous because, in a
/// full `swift test`, other suites' tests block those threads and this task may not run again for seconds.
func eventually(within seconds: Double = 20, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try condition()
}
