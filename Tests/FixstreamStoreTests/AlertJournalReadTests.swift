import FixstreamStore
import Testing

struct AlertJournalReadTests {
    /// Ten alerts of several kinds:
    /// 1 geofence.enter van-1 depot · 2 geofence.exit van-1 depot · 3 geofencex van-1 · 4 gps.lost van-2 ·
    /// 5 geofence.enter van-2 yard · 6 stop.arrived van-1 trip T1 · 7 stop.departed van-1 trip T1 ·
    /// 8 stop.arrived van-2 trip T2 · 9 geofence.dwell van-1 yard · 10 Geofence.enter van-1
    static let records = [
        journalRecord("geofence.enter", vehicle: "van-1", fence: "depot"),
        journalRecord("geofence.exit", vehicle: "van-1", fence: "depot"),
        journalRecord("geofencex", vehicle: "van-1"),
        journalRecord("gps.lost", vehicle: "van-2"),
        journalRecord("geofence.enter", vehicle: "van-2", fence: "yard"),
        journalRecord("stop.arrived", vehicle: "van-1", trip: "T1"),
        journalRecord("stop.departed", vehicle: "van-1", trip: "T1"),
        journalRecord("stop.arrived", vehicle: "van-2", trip: "T2"),
        journalRecord("geofence.dwell", vehicle: "van-1", fence: "yard"),
        journalRecord("Geofence.enter", vehicle: "van-1"),
    ]

    /// A journal holding ``records`` (ids 1 … 10) in a new directory; remove the directory when done.
    func makeJournal() throws -> (TemporaryDirectory, AlertJournal) {
        let directory = try TemporaryDirectory()
        let journal = try AlertJournal(dataDirectory: directory.path)
        try journal.append(Self.records[..<4])
        try journal.append(Self.records[4...])
        return (directory, journal)
    }

    func ids(_ journal: AlertJournal, after: Int64 = 0, limit: Int = 100, _ filter: JournalFilter) throws -> [Int64] {
        try journal.read(after: after, limit: limit, filter: filter).entries.map(\.id)
    }

    @Test func afterIsExclusive() throws {
        let (directory, journal) = try makeJournal()
        defer { directory.remove() }
        #expect(try journal.read(after: 0, limit: 100).entries.map(\.id) == Array(1 ... 10))
        #expect(try journal.read(after: 3, limit: 100).entries.map(\.id) == Array(4 ... 10))
        #expect(try journal.read(after: 9, limit: 100).entries.map(\.id) == [10])
        #expect(try journal.read(after: 10, limit: 100).entries.isEmpty)
        #expect(try journal.read(after: 500, limit: 100).entries.isEmpty)
        #expect(try journal.read(after: -7, limit: 100).entries.count == 10)
    }

    @Test func limitCutsThePageAndTheCursorContinuesIt() throws {
        let (directory, journal) = try makeJournal()
        defer { directory.remove() }
        let first = try journal.read(after: 0, limit: 4)
        #expect(first.entries.map(\.id) == [1, 2, 3, 4])
        #expect(first.cursor == 4)
        let second = try journal.read(after: first.cursor, limit: 4)
        #expect(second.entries.map(\.id) == [5, 6, 7, 8])
        let third = try journal.read(after: second.cursor, limit: 4)
        #expect(third.entries.map(\.id) == [9, 10])
        #expect(third.cursor == 10)
        let done = try journal.read(after: third.cursor, limit: 4)
        #expect(done.entries.isEmpty)
        #expect(done.cursor == 10)
        // A limit of 0 returns nothing and consumes nothing.
        let none = try journal.read(after: 2, limit: 0)
        #expect(none.entries.isEmpty)
        #expect(none.cursor == 2)
        #expect(throws: StoreError.self) { try journal.read(after: 0, limit: -1) }
    }

    @Test func filtersByVehicle() throws {
        let (directory, journal) = try makeJournal()
        defer { directory.remove() }
        #expect(try ids(journal, JournalFilter(vehicle: "van-2")) == [4, 5, 8])
        #expect(try ids(journal, JournalFilter(vehicle: "van")) == [])
        #expect(try ids(journal, JournalFilter(vehicle: "")) == [])
    }

    @Test func filtersByTypePrefix() throws {
        let (directory, journal) = try makeJournal()
        defer { directory.remove() }
        #expect(try ids(journal, JournalFilter(typePrefix: "geofence.")) == [1, 2, 5, 9])
        #expect(try ids(journal, JournalFilter(typePrefix: "geofence")) == [1, 2, 3, 5, 9])
        #expect(try ids(journal, JournalFilter(typePrefix: "stop.arrived")) == [6, 8])
        #expect(try ids(journal, JournalFilter(typePrefix: "stop.arrivedx")) == [])
        #expect(try ids(journal, JournalFilter(typePrefix: "Geofence.")) == [10])
        // No wildcards: `_` and `%` are characters like any other.
        #expect(try ids(journal, JournalFilter(typePrefix: "geofence_")) == [])
        #expect(try ids(journal, JournalFilter(typePrefix: "%")) == [])
        #expect(try ids(journal, JournalFilter(typePrefix: "")) == Array(1 ... 10))
    }

    @Test func filtersByFenceAndTrip() throws {
        let (directory, journal) = try makeJournal()
        defer { directory.remove() }
        #expect(try ids(journal, JournalFilter(fence: "depot")) == [1, 2])
        #expect(try ids(journal, JournalFilter(fence: "yard")) == [5, 9])
        #expect(try ids(journal, JournalFilter(trip: "T1")) == [6, 7])
        #expect(try ids(journal, JournalFilter(trip: "T3")) == [])
    }

    @Test func combinesFilters() throws {
        let (directory, journal) = try makeJournal()
        defer { directory.remove() }
        #expect(try ids(journal, JournalFilter(vehicle: "van-1", typePrefix: "geofence.")) == [1, 2, 9])
        #expect(try ids(journal, JournalFilter(vehicle: "van-1", typePrefix: "geofence.", fence: "yard")) == [9])
        #expect(try ids(journal, JournalFilter(vehicle: "van-2", trip: "T2")) == [8])
        #expect(try ids(journal, JournalFilter(vehicle: "van-2", trip: "T1")) == [])
        #expect(try ids(journal, after: 2, JournalFilter(vehicle: "van-1", typePrefix: "geofence.")) == [9])
        // Every shape agrees with the filter's own rule on decoded entries.
        let all = try journal.read(after: 0, limit: 100).entries
        for vehicle in [nil, "van-1", "van-2"] {
            for prefix in [nil, "geofence.", "stop."] {
                for fence in [nil, "yard"] {
                    for trip in [nil, "T1"] {
                        let filter = JournalFilter(vehicle: vehicle, typePrefix: prefix, fence: fence, trip: trip)
                        #expect(try ids(journal, filter) == all.filter(filter.matches).map(\.id))
                    }
                }
            }
        }
    }

    @Test func aFilteredPageReturnsACursorPastTheRowsItSkipped() throws {
        let (directory, journal) = try makeJournal()
        defer { directory.remove() }
        // Fewer matches than the limit: the cursor is the end of what was scanned, not the last match.
        let page = try journal.read(after: 0, limit: 10, filter: JournalFilter(vehicle: "van-2"))
        #expect(page.entries.map(\.id) == [4, 5, 8])
        #expect(page.cursor == 10)
        // A full page: the cursor is its last entry.
        let full = try journal.read(after: 0, limit: 2, filter: JournalFilter(vehicle: "van-2"))
        #expect(full.entries.map(\.id) == [4, 5])
        #expect(full.cursor == 5)
    }

    @Test func scanLimitBoundsTheIDsConsidered() throws {
        let (directory, journal) = try makeJournal()
        defer { directory.remove() }
        let filter = JournalFilter(vehicle: "van-2")
        let first = try journal.read(after: 0, limit: 10, filter: filter, scanLimit: 3)
        #expect(first.entries.isEmpty)
        #expect(first.cursor == 3)
        let second = try journal.read(after: first.cursor, limit: 10, filter: filter, scanLimit: 3)
        #expect(second.entries.map(\.id) == [4, 5])
        #expect(second.cursor == 6)
        let third = try journal.read(after: second.cursor, limit: 10, filter: filter, scanLimit: 100)
        #expect(third.entries.map(\.id) == [8])
        #expect(third.cursor == 10)
        // No overflow near the top of the id range.
        #expect(try journal.read(after: .max - 1, limit: 10, scanLimit: 10).cursor == .max - 1)
        #expect(try journal.read(after: 0, limit: 10, scanLimit: 0).cursor == 0)
        #expect(throws: StoreError.self) { try journal.read(after: 0, limit: 10, scanLimit: -1) }
    }

    @Test func readsAfterRetentionStartAtTheOldestRetained() throws {
        let (directory, journal) = try makeJournal()
        defer { directory.remove() }
        #expect(try journal.prune(JournalRetention(maxRows: 4), now: 0) == 6)
        #expect(try journal.firstID == 7)
        let page = try journal.read(after: 2, limit: 100)
        #expect(page.entries.map(\.id) == [7, 8, 9, 10])
    }
}
