package import FixstreamStore

/// The alerts of one POST: the body as sent (a JSON array of the alerts, each with its id) and where the
/// endpoint's cursor goes once a receiver accepts it.
package struct WebhookBatch: Sendable, Equatable {
    /// The first alert's id.
    package var firstAlert: Int64
    /// The last alert's id.
    package var lastAlert: Int64
    /// The number of alerts.
    package var alerts: Int
    /// The cursor after this batch: the page's cursor, which may lie past ``lastAlert`` when the endpoint's
    /// filter skipped the alerts after it.
    package var cursor: Int64
    /// `[{"id":…,…},…]`, no line feed.
    package var body: [UInt8]

    /// The batch of a journal page; nil for a page without entries.
    package init?(_ page: JournalPage) {
        guard let first = page.entries.first, let last = page.entries.last else { return nil }
        var body: [UInt8] = []
        body.reserveCapacity(2 + page.entries.reduce(0) { $0 + $1.body.count + 24 })
        body.append(UInt8(ascii: "["))
        for (index, entry) in page.entries.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            entry.appendJSON(to: &body)
        }
        body.append(UInt8(ascii: "]"))
        self.init(firstAlert: first.id, lastAlert: last.id, alerts: page.entries.count, cursor: page.cursor, body: body)
    }

    /// Creates a batch from its parts.
    package init(firstAlert: Int64, lastAlert: Int64, alerts: Int, cursor: Int64, body: [UInt8]) {
        self.firstAlert = firstAlert
        self.lastAlert = lastAlert
        self.alerts = alerts
        self.cursor = cursor
        self.body = body
    }
}
