import FixstreamStore
import Foundation
import Testing

struct CheckpointStoreTests {
    private func rows(_ store: CheckpointStore) throws -> [String: [UInt8]] {
        var rows: [String: [UInt8]] = [:]
        try store.load { id, state in rows[id] = state }
        return rows
    }

    @Test func savedStatesLoadBackAfterReopeningAndSavesReplaceThem() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.path("nested/data")
        let clock = ManualClock(1_000)
        do {
            let store = try CheckpointStore(dataDirectory: data, clock: clock.read)
            #expect(store.path == data + "/checkpoints.sqlite3")
            #expect(try store.database.pragma("journal_mode") == "wal")
            #expect(try store.database.userVersion == CheckpointStore.schemaVersion)
            try store.save([("van-1", [1, 2, 3]), ("van-2", []), ("van-3", [9])])
            clock.now = 2_000
            try store.save([("van-1", [4]), ("van-1", [5, 6])])
            try store.save([(String, [UInt8])]())
            #expect(try store.count == 3)
        }
        let reopened = try CheckpointStore(dataDirectory: data)
        #expect(try rows(reopened) == ["van-1": [5, 6], "van-2": [], "van-3": [9]])
        let savedAt = try reopened.database.prepare("SELECT id, saved_at FROM vehicles ORDER BY id")
        var times: [String] = []
        while try savedAt.step() == .row { times.append("\(savedAt.string(at: 0)!) \(savedAt.int64(at: 1))") }
        #expect(times == ["van-1 2000", "van-2 1000", "van-3 1000"])
    }

    @Test func aFailedSaveChangesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try CheckpointStore(dataDirectory: directory.path)
        try store.save([("van-1", [1])])
        // Another connection holds the write lock past the busy timeout: the save fails whole and can be retried.
        let other = try SQLiteDatabase(path: store.path, busyTimeout: 10)
        try other.execute("BEGIN IMMEDIATE")
        let blocked = try CheckpointStore(dataDirectory: directory.path)
        try blocked.database.execute("PRAGMA busy_timeout = 10")
        #expect(throws: StoreError.self) { try blocked.save([("van-1", [2]), ("van-2", [3])]) }
        try other.execute("ROLLBACK")
        #expect(try rows(store) == ["van-1": [1]])
        try blocked.save([("van-1", [2]), ("van-2", [3])])
        #expect(try rows(store) == ["van-1": [2], "van-2": [3]])
    }

    @Test func refusesADatabaseFromANewerBuild() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let store = try CheckpointStore(dataDirectory: directory.path)
            try store.database.setUserVersion(CheckpointStore.schemaVersion + 1)
        }
        #expect {
            _ = try CheckpointStore(dataDirectory: directory.path)
        } throws: { error in
            (error as? StoreError)?.code == .schemaTooNew
        }
    }
}
