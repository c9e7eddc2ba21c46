import FixstreamDeliver
import FixstreamStore
import Testing

/// The delivery store: cursors, dead letters and what the API does with them.
struct DeadLettersTests {
    private func batch(_ first: Int64, _ last: Int64, cursor: Int64? = nil) -> WebhookBatch {
        WebhookBatch(
            firstAlert: first,
            lastAlert: last,
            alerts: Int(last - first + 1),
            cursor: cursor ?? last,
            body: Array("[{\"id\":\(first)}]".utf8)
        )
    }

    @Test func cursorsAreStoredPerEndpoint() throws {
        let journal = try TestJournal()
        let store = try DeliveryStore(dataDirectory: journal.directory)
        #expect(try store.cursor(for: "a") == nil)
        try store.setCursor(7, for: "a")
        try store.setCursor(9, for: "b")
        try store.setCursor(12, for: "a")
        let reopened = try DeliveryStore(dataDirectory: journal.directory)
        #expect(try reopened.cursor(for: "a") == 12 && reopened.cursor(for: "b") == 9)
    }

    @Test func deadLetteringStoresTheBatchAndMovesTheCursorPastIt() throws {
        let journal = try TestJournal()
        let store = try DeliveryStore(dataDirectory: journal.directory)
        let id = try store.deadLetter(batch(1, 3, cursor: 5), endpoint: "a", attempts: 4, error: "HTTP 502", at: 1000)
        #expect(try store.cursor(for: "a") == 5)
        let letters = try DeadLetters(dataDirectory: journal.directory)
        let expected = DeadLetter(
            id: id,
            endpoint: "a",
            firstAlert: 1,
            lastAlert: 3,
            alerts: 3,
            attempts: 4,
            lastError: "HTTP 502",
            failedAt: 1000,
            replayRequested: false
        )
        #expect(try letters.list() == [expected])
        #expect(try store.nextReplay(for: "a") == nil)
        #expect(try letters.requestReplay(id: id))
        let replay = try #require(try store.nextReplay(for: "a"))
        #expect(replay.letter.replayRequested && replay.body == Array("[{\"id\":1}]".utf8))

        try store.replayFailed(id, error: "HTTP 503", at: 2000)
        let failed = try #require(try letters.list().first)
        #expect(failed.attempts == 5 && failed.lastError == "HTTP 503" && failed.failedAt == 2000)
        #expect(!failed.replayRequested)
    }

    @Test func listPagesByIDAndFiltersByEndpoint() throws {
        let journal = try TestJournal()
        let store = try DeliveryStore(dataDirectory: journal.directory)
        for (index, endpoint) in ["a", "b", "a", "a"].enumerated() {
            let first = Int64(index * 10 + 1)
            _ = try store.deadLetter(batch(first, first + 1), endpoint: endpoint, attempts: 1, error: "x", at: 0)
        }
        let letters = try DeadLetters(dataDirectory: journal.directory)
        #expect(try letters.list().map(\.id) == [1, 2, 3, 4])
        #expect(try letters.list(endpoint: "a").map(\.id) == [1, 3, 4])
        #expect(try letters.list(endpoint: "a", after: 1, limit: 1).map(\.id) == [3])
        #expect(try letters.list(endpoint: "c").isEmpty)
        #expect(throws: StoreError.self) { try letters.list(limit: -1) }
    }

    @Test func deletingAndReplayingUnknownIDsSaySo() throws {
        let journal = try TestJournal()
        let store = try DeliveryStore(dataDirectory: journal.directory)
        let id = try store.deadLetter(batch(1, 1), endpoint: "a", attempts: 1, error: "x", at: 0)
        let letters = try DeadLetters(dataDirectory: journal.directory)
        #expect(try !letters.requestReplay(id: id + 1) && !letters.delete(id: id + 1))
        #expect(try letters.delete(id: id))
        #expect(try !letters.delete(id: id))
        // Ids are never reused, so an API client's old id cannot name a newer dead letter.
        #expect(try store.deadLetter(batch(2, 2), endpoint: "a", attempts: 1, error: "x", at: 0) == id + 1)
    }

    @Test func anotherKindOfDatabaseIsRefused() throws {
        let journal = try TestJournal()
        let foreign = try SQLiteDatabase(path: journal.directory + "/" + DeliveryStore.fileName)
        try foreign.execute("CREATE TABLE notes (text TEXT)")
        let error = #expect(throws: StoreError.self) { try DeadLetters(dataDirectory: journal.directory) }
        #expect(error?.code == .notADeliveryStore)
    }
}
