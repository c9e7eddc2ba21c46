import FixstreamStore
import Testing

struct AlertJournalRetentionTests {
    @Test func prunesByCountKeepingTheNewest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try AlertJournal(dataDirectory: directory.path)
        try journal.append(journalRecords(25))
        #expect(try journal.prune(JournalRetention(maxRows: 30), now: 0) == 0)
        #expect(try journal.prune(JournalRetention(maxRows: 10), now: 0, chunkSize: 4) == 15)
        #expect(try journal.firstID == 16)
        #expect(try journal.count == 10)
        #expect(try journal.countedRows() == 10)
        #expect(try journal.lastID == 25)
        #expect(journal.counters.pruned == 15)
        #expect(journal.counters.pruneChunks == 4)  // 4 + 4 + 4 + 3
        #expect(try journal.prune(JournalRetention(maxRows: 10), now: 0) == 0)
        #expect(journal.counters.pruneChunks == 4)
    }

    @Test func prunesByAgeOfTheAppend() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock(1_000_000)
        let journal = try AlertJournal(dataDirectory: directory.path, clock: clock.read)
        try journal.append(journalRecords(3))  // ids 1-3 at 1,000,000
        clock.now = 1_060_000
        try journal.append(journalRecords(4))  // ids 4-7 at 1,060,000
        clock.now = 1_120_000
        try journal.append(journalRecords(2))  // ids 8-9 at 1,120,000

        // Keep 90 s at 1,150,000: ids 1-3 (150 s old) go, ids 4-7 (90 s old) stay.
        #expect(try journal.prune(JournalRetention(maxAge: 90_000), now: 1_150_000) == 3)
        #expect(try journal.firstID == 4)
        #expect(try journal.prune(JournalRetention(maxAge: 90_000), now: 1_150_000) == 0)
        // The event times in the records play no part: only when they were appended.
        #expect(try journal.prune(JournalRetention(maxAge: 60_000), now: 1_150_001, chunkSize: 3) == 4)
        #expect(try journal.all().map(\.id) == [8, 9])
        #expect(try journal.prune(JournalRetention(maxAge: 0), now: 1_120_001) == 2)
        #expect(try journal.count == 0)
        #expect(try journal.lastID == 9)
    }

    @Test func aClockThatSteppedBackDelaysRemovalWithoutLeavingHoles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock(1_000_000)
        let journal = try AlertJournal(dataDirectory: directory.path, clock: clock.read)
        try journal.append(journalRecords(2))  // ids 1-2 at 1,000,000
        clock.now = 2_000_000
        try journal.append(journalRecords(2))  // ids 3-4 at 2,000,000
        clock.now = 500_000  // the wall clock stepped back
        try journal.append(journalRecords(2))  // ids 5-6 at 500,000
        // Ids 5-6 look oldest but 3-4 are young: only the prefix 1-2 goes, and the ids stay contiguous.
        #expect(try journal.prune(JournalRetention(maxAge: 100_000), now: 2_050_000) == 2)
        #expect(try journal.all().map(\.id) == [3, 4, 5, 6])
        #expect(try journal.count == journal.countedRows())
    }

    @Test func prunesByBytesInUse() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try AlertJournal(dataDirectory: directory.path)
        var records = journalRecords(20_000)
        let body = Array(#"{"type":"gps.lost","pad":"\#(String(repeating: "x", count: 150))"}"#.utf8)
        for index in records.indices { records[index].body = body }
        try journal.append(records)
        let before = try journal.usedBytes()
        #expect(before > 3_000_000)
        let limit = 1_000_000
        let removed = try journal.prune(JournalRetention(maxBytes: limit), now: 0, chunkSize: 1_000)
        let after = try journal.usedBytes()
        #expect(after <= limit)
        // Not much more than needed: the retained alerts fill most of the limit.
        #expect(after > limit * 8 / 10, "\(after) bytes in use after removing \(removed)")
        #expect(try journal.count == 20_000 - removed)
        #expect(try journal.lastID == 20_000)
        #expect(try journal.prune(JournalRetention(maxBytes: limit), now: 0) == 0)
    }

    @Test func theBudgetCapsOneCallAndTheNextCallContinues() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try AlertJournal(dataDirectory: directory.path)
        try journal.append(journalRecords(100))
        let retention = JournalRetention(maxRows: 10)
        #expect(try journal.prune(retention, now: 0, chunkSize: 25, budget: 40) == 40)
        #expect(try journal.firstID == 41)
        #expect(try journal.prune(retention, now: 0, chunkSize: 25, budget: 0) == 0)
        #expect(try journal.prune(retention, now: 0, chunkSize: 25, budget: 40) == 40)
        #expect(try journal.prune(retention, now: 0, chunkSize: 25, budget: 40) == 10)
        #expect(try journal.firstID == 91)
        #expect(journal.counters.pruned == 90)
        #expect(throws: StoreError.self) { try journal.prune(retention, now: 0, chunkSize: 0) }
        #expect(throws: StoreError.self) { try journal.prune(retention, now: 0, budget: -1) }
    }

    @Test func everyLimitHolds() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock(0)
        let journal = try AlertJournal(dataDirectory: directory.path, clock: clock.read)
        for batch in 0 ..< 10 {
            clock.now = Int64(batch) * 1000
            try journal.append(journalRecords(10))
        }
        // Age alone keeps ids 51-100 (appended at 5,000 and later); rows alone keep 71-100: the stricter wins.
        #expect(try journal.prune(JournalRetention(maxAge: 4_000, maxRows: 30), now: 9_000) == 70)
        #expect(try journal.firstID == 71)
        // Age is stricter now.
        #expect(try journal.prune(JournalRetention(maxAge: 1_000, maxRows: 30), now: 9_000) == 10)
        #expect(try journal.firstID == 81)
    }

    @Test func aReaderKeepsReadingWhileThePrunerRemoves() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writer = try AlertJournal(dataDirectory: directory.path)
        let reader = try AlertJournal(dataDirectory: directory.path, access: .readOnly)
        try writer.append(journalRecords(50))
        let page = try reader.read(after: 0, limit: 20)
        #expect(try writer.prune(JournalRetention(maxRows: 5), now: 0) == 45)
        // The reader's cursor fell behind retention: it gets what is retained, and can see it missed some.
        let next = try reader.read(after: page.cursor, limit: 20)
        #expect(next.entries.map(\.id) == Array(46 ... 50))
        #expect(try reader.firstID! > page.cursor + 1)
    }
}
