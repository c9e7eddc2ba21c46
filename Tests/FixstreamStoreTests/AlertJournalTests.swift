import FixstreamStore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct AlertJournalTests {
    // MARK: Opening

    @Test func createsTheDirectoryAndFileInWriteAheadLoggingMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.path("nested/data")
        let journal = try AlertJournal(dataDirectory: data)
        #expect(journal.path == data + "/journal.sqlite3")
        #expect(FileManager.default.fileExists(atPath: journal.path))
        #expect(try journal.database.pragma("journal_mode") == "wal")
        #expect(try journal.database.pragma("synchronous") == "1")  // NORMAL
        #expect(try journal.database.pragma("application_id") == "\(0x4653_4A4C)")
        #expect(try journal.database.userVersion == AlertJournal.schemaVersion)
        #expect(!journal.isReadOnly)
    }

    @Test func fullDurabilitySyncsEveryCommit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try AlertJournal(dataDirectory: directory.path, durability: .full)
        #expect(try journal.database.pragma("synchronous") == "2")  // FULL
        try journal.append(journalRecords(3))
        #expect(try journal.count == 3)
    }

    @Test func anEmptyJournalHasNoAlerts() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try AlertJournal(dataDirectory: directory.path)
        #expect(try journal.lastID == 0)
        #expect(try journal.nextID == 1)
        #expect(try journal.firstID == nil)
        #expect(try journal.count == 0)
        let page = try journal.read(after: 0, limit: 10)
        #expect(page.entries.isEmpty)
        #expect(page.cursor == 0)
        #expect(try journal.prune(JournalRetention(maxAge: 0, maxRows: 0, maxBytes: 0), now: 0) == 0)
        // An empty batch takes no ids and writes nothing.
        #expect(try journal.append([JournalRecord]()) == 1 ..< 1)
        #expect(try journal.lastID == 0)
        #expect(journal.counters == JournalCounters())
    }

    // MARK: Ids

    @Test func idsAreConsecutiveAcrossBatches() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try AlertJournal(dataDirectory: directory.path)
        #expect(try journal.append(journalRecords(3)) == 1 ..< 4)
        #expect(try journal.append(journalRecords(1)) == 4 ..< 5)
        #expect(try journal.append(journalRecords(5)[2...]) == 5 ..< 8)
        #expect(try journal.lastID == 7)
        #expect(try journal.firstID == 1)
        #expect(try journal.count == 7)
        #expect(try journal.all().map(\.id) == Array(1 ... 7))
        #expect(journal.counters.appended == 9 - 2)
        #expect(journal.counters.batches == 3)
    }

    @Test func theIDMarkCanBeAdvancedButNeverLowered() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try AlertJournal(dataDirectory: directory.path)
        try journal.append(journalRecords(2))
        try journal.advance(past: 40)
        #expect(try journal.append(journalRecords(1)) == 41 ..< 42)
        try journal.advance(past: 10)
        #expect(try journal.lastID == 41)
        #expect(try journal.all().map(\.id) == [1, 2, 41])
    }

    @Test func idsKeepIncreasingAfterReopening() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let journal = try AlertJournal(dataDirectory: directory.path)
            try journal.append(journalRecords(4))
        }
        let reopened = try AlertJournal(dataDirectory: directory.path + "/")
        #expect(try reopened.lastID == 4)
        #expect(try reopened.append(journalRecords(2)) == 5 ..< 7)
        #expect(try reopened.all().map(\.vehicle) == ["van-0", "van-1", "van-2", "van-3", "van-0", "van-1"])
    }

    @Test func idsAreNotReusedAfterRetentionRemovedEverything() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let journal = try AlertJournal(dataDirectory: directory.path)
            try journal.append(journalRecords(10))
            #expect(try journal.prune(JournalRetention(maxRows: 0), now: 0) == 10)
            #expect(try journal.count == 0)
            #expect(try journal.firstID == nil)
            #expect(try journal.lastID == 10)
            #expect(try journal.append(journalRecords(1)) == 11 ..< 12)
            #expect(try journal.prune(JournalRetention(maxRows: 0), now: 0) == 1)
        }
        // The high-water mark survives the restart with no rows left to show it.
        let reopened = try AlertJournal(dataDirectory: directory.path)
        #expect(try reopened.countedRows() == 0)
        #expect(try reopened.lastID == 11)
        #expect(try reopened.append(journalRecords(2)) == 12 ..< 14)
        #expect(try reopened.firstID == 12)
    }

    @Test func aBatchWithABadBodyIsRolledBackWholeAndTakesNoIDs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try AlertJournal(dataDirectory: directory.path)
        try journal.append(journalRecords(2))
        var batch = journalRecords(3)
        batch[2].body = Array(#"{"type":"gps.lost"}"#.utf8) + [0x0A]  // a JSON line, not a bare object
        let error = #expect(throws: StoreError.self) { try journal.append(batch) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("record 2") == true)
        for bad in ["", "[]", #""text""#] {
            batch[2].body = Array(bad.utf8)
            #expect(throws: StoreError.self) { try journal.append(batch) }
        }
        #expect(!journal.database.isInTransaction)
        #expect(try journal.lastID == 2)
        #expect(try journal.countedRows() == 2)
        #expect(try journal.append(journalRecords(1)) == 3 ..< 4)
        #expect(journal.counters.appended == 3)
    }

    @Test func storesEveryFieldAsGiven() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock(1_800_000_000_123)
        let journal = try AlertJournal(dataDirectory: directory.path, clock: clock.read)
        let records = [
            journalRecord("geofence.enter", vehicle: "Fahrzeug-ü", fence: "depot", time: -5),
            journalRecord("stop.arrived", vehicle: "van-2", trip: "T-1", time: 1_795_000_000_000),
            JournalRecord(type: "gps.lost", vehicle: "", time: 0, body: Array("{}".utf8)),
        ]
        try journal.append(records)
        let entries = try journal.all()
        #expect(entries.map(\.id) == [1, 2, 3])
        #expect(entries.map(\.type) == records.map(\.type))
        #expect(entries.map(\.vehicle) == records.map(\.vehicle))
        #expect(entries.map(\.fence) == [Optional("depot"), nil, nil])
        #expect(entries.map(\.trip) == [nil, Optional("T-1"), nil])
        #expect(entries.map(\.time) == records.map(\.time))
        #expect(entries.map(\.body) == records.map(\.body))
        #expect(entries.allSatisfy { $0.recordedAt == 1_800_000_000_123 })
    }

    @Test func rendersTheIDAsTheFirstMember() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try AlertJournal(dataDirectory: directory.path)
        try journal.append(journalRecords(9))
        try journal.append([
            journalRecord("geofence.exit", vehicle: "van-7", fence: "yard"),
            JournalRecord(type: "gps.lost", vehicle: "x", time: 0, body: Array("{}".utf8)),
        ])
        let entries = try journal.read(after: 9, limit: 2).entries
        #expect(
            String(decoding: entries[0].json, as: UTF8.self)
                == #"{"id":10,"type":"geofence.exit","vehicle":"van-7","fence":"yard"}"#
        )
        #expect(String(decoding: entries[1].json, as: UTF8.self) == #"{"id":11}"#)
        var out = Array("data: ".utf8)
        entries[0].appendJSON(to: &out)
        #expect(String(decoding: out, as: UTF8.self).hasPrefix(#"data: {"id":10,"type""#))
        for id: Int64 in [0, 9, 10, 99, 100, 1_234_567_890_123, .max] {
            let entry = JournalEntry(
                id: id,
                type: "t",
                vehicle: "v",
                fence: nil,
                trip: nil,
                time: 0,
                recordedAt: 0,
                body: Array("{}".utf8)
            )
            #expect(String(decoding: entry.json, as: UTF8.self) == #"{"id":\#(id)}"#)
        }
    }

    // MARK: Readers

    @Test func aReaderSeesWhatTheWriterCommitsWhileBothAreOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writer = try AlertJournal(dataDirectory: directory.path)
        let reader = try AlertJournal(dataDirectory: directory.path, access: .readOnly)
        #expect(reader.isReadOnly)
        #expect(try reader.lastID == 0)
        try writer.append(journalRecords(3))
        #expect(try reader.lastID == 3)
        let first = try reader.read(after: 0, limit: 10)
        #expect(first.entries.map(\.id) == [1, 2, 3])
        try writer.append(journalRecords(2))
        let next = try reader.read(after: first.cursor, limit: 10)
        #expect(next.entries.map(\.id) == [4, 5])
        #expect(try reader.count == 5)

        // A batch in progress is invisible until it commits: the writer holds its transaction open here.
        try writer.database.execute("BEGIN IMMEDIATE")
        try writer.database.execute(
            "INSERT INTO alerts (id, type, vehicle, time, recorded_at, body) VALUES (6, 't', 'v', 0, 0, x'7B7D')"
        )
        #expect(try reader.read(after: 5, limit: 10).entries.isEmpty)
        try writer.database.execute("ROLLBACK")
    }

    @Test func aReadOnlyJournalRefusesToWrite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try AlertJournal(dataDirectory: directory.path)
        let reader = try AlertJournal(dataDirectory: directory.path, access: .readOnly)
        let append = #expect(throws: StoreError.self) { try reader.append(journalRecords(1)) }
        #expect(append?.code == .readOnly)
        let prune = #expect(throws: StoreError.self) { try reader.prune(JournalRetention(maxRows: 0), now: 0) }
        #expect(prune?.code == .readOnly)
        // Not even around the journal's own API.
        #expect(throws: StoreError.self) { try reader.database.execute("DELETE FROM alerts") }
    }

    @Test func aReadOnlyOpenNeedsAnExistingJournal() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = #expect(throws: StoreError.self) {
            try AlertJournal(dataDirectory: directory.path, access: .readOnly)
        }
        #expect(missing?.resultCode == 14)  // SQLITE_CANTOPEN
        #expect(!FileManager.default.fileExists(atPath: directory.path("journal.sqlite3")))
        // An empty file (a writer about to create the schema) is not a journal yet.
        #expect(FileManager.default.createFile(atPath: directory.path("journal.sqlite3"), contents: Data()))
        let empty = #expect(throws: StoreError.self) {
            try AlertJournal(dataDirectory: directory.path, access: .readOnly)
        }
        #expect(empty?.code == .readOnly)
    }

    // MARK: Foreign files

    @Test func refusesAFileThatIsNotADatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let garbage = Data((0 ..< 8192).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
        #expect(FileManager.default.createFile(atPath: directory.path("journal.sqlite3"), contents: garbage))
        for access in [AlertJournal.Access.readWrite, .readOnly] {
            let error = #expect(throws: StoreError.self) {
                try AlertJournal(dataDirectory: directory.path, access: access)
            }
            #expect(error?.code == .notAJournal)
            #expect(error?.resultCode == 26)  // SQLITE_NOTADB
            #expect(error?.message.contains(directory.path("journal.sqlite3")) == true)
        }
        // Nothing was written over it.
        #expect(FileManager.default.contents(atPath: directory.path("journal.sqlite3")) == garbage)
    }

    @Test func refusesAnotherApplicationsDatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let other = try SQLiteDatabase(path: directory.path("journal.sqlite3"))
            try other.execute("CREATE TABLE alerts (id INTEGER PRIMARY KEY, text TEXT)")
        }
        let error = #expect(throws: StoreError.self) { try AlertJournal(dataDirectory: directory.path) }
        #expect(error?.code == .notAJournal)
        #expect(error?.description.contains("not an alert journal") == true)
        // The control store's file is no journal either.
        do {
            // Closed before the move: the last connection checkpoints the log into the file and removes it.
            _ = try ControlStore(dataDirectory: directory.path("control"))
        }
        try FileManager.default.moveItem(
            atPath: directory.path("control/control.sqlite3"),
            toPath: directory.path("control/journal.sqlite3")
        )
        let controlError = #expect(throws: StoreError.self) {
            try AlertJournal(dataDirectory: directory.path("control"))
        }
        #expect(controlError?.code == .notAJournal, "\(String(describing: controlError))")
    }

    @Test func refusesAJournalFromANewerBuild() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let journal = try AlertJournal(dataDirectory: directory.path)
            try journal.database.setUserVersion(AlertJournal.schemaVersion + 1)
        }
        let error = #expect(throws: StoreError.self) { try AlertJournal(dataDirectory: directory.path) }
        #expect(error?.code == .schemaTooNew)
    }

    // MARK: Durability

    /// A child process appends a batch and dies by SIGKILL without closing anything; the batch is there after.
    @Test func aCommittedBatchSurvivesSIGKILL() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path
        await #expect(processExitsWith: .signal(SIGKILL)) { [path = path as String] in
            let journal = try AlertJournal(dataDirectory: path)
            try journal.append(journalRecords(1_000))
            try journal.append(journalRecords(24))
            kill(getpid(), SIGKILL)
        }
        let journal = try AlertJournal(dataDirectory: path)
        #expect(try journal.lastID == 1_024)
        #expect(try journal.countedRows() == 1_024)
        #expect(try journal.append(journalRecords(1)) == 1_025 ..< 1_026)
    }
}

/// Review finding: a failed insert must not leave the cached statement halted, or the journal could never append
/// again after a disk that was full for a while has room again.
struct AlertJournalRecoveryTests {
    @Test func appendsWorkAgainOnceADiskFullIsOver() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try AlertJournal(dataDirectory: directory.path)
        try journal.append(journalRecords(10))
        let pages = try journal.database.pragma("page_count")
        _ = try journal.database.pragma("max_page_count = \(pages)")  // the disk is full
        #expect(throws: StoreError.self) { try journal.append(journalRecords(5_000)) }
        _ = try journal.database.pragma("max_page_count = 1073741823")  // room again
        for _ in 0 ..< 3 { try journal.append(journalRecords(1)) }
        #expect(try journal.lastID == 13)
        #expect(try journal.count == 13)
    }

    @Test func theIDMarkStaysWithinWhatJSONReadersReadExactly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try AlertJournal(dataDirectory: directory.path)
        #expect(throws: StoreError.self) { try journal.advance(past: .max) }
        #expect(throws: StoreError.self) { try journal.advance(past: -1) }
        try journal.advance(past: AlertJournal.maximumID - 2)
        #expect(try journal.append(journalRecords(1)) == AlertJournal.maximumID - 1 ..< AlertJournal.maximumID)
        #expect(throws: StoreError.self) { try journal.append(journalRecords(1)) }
    }
}
