import FixstreamDeliver
import FixstreamJSON
import FixstreamStore
import Testing

/// A page of the journal as one POST body.
struct WebhookBatchTests {
    @Test func aPageBecomesAJSONArrayOfAlertsWithIDs() throws {
        let journal = try TestJournal()
        try journal.append([alertRecord("idle.start", vehicle: "van-1"), alertRecord("gps.lost", vehicle: "van-2")])
        let batch = try #require(WebhookBatch(try journal.journal.read(after: 0, limit: 10)))
        #expect(batch.firstAlert == 1 && batch.lastAlert == 2 && batch.alerts == 2 && batch.cursor == 2)
        let alerts = try #require(try JSONValue.parse(batch.body).array)
        #expect(alerts.map { $0["id"]?.number } == [1, 2])
        #expect(alerts.map { $0["type"]?.string } == ["idle.start", "gps.lost"])
        #expect(alerts[1]["lat"]?.number == 47.37)
    }

    @Test func theCursorOfAFilteredPageLiesPastItsLastAlert() throws {
        let journal = try TestJournal()
        try journal.append([
            alertRecord(vehicle: "van-1"), alertRecord(vehicle: "van-2"), alertRecord(vehicle: "van-3"),
        ])
        let page = try journal.journal.read(after: 0, limit: 10, filter: JournalFilter(vehicle: "van-1"))
        let batch = try #require(WebhookBatch(page))
        #expect(batch.lastAlert == 1 && batch.cursor == 3)
        #expect(WebhookBatch(try journal.journal.read(after: 3, limit: 10)) == nil)
    }
}
