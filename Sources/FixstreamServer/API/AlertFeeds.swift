import FixstreamHTTP
import FixstreamStore

/// The journal as the API serves it: JSON pages for pollers (`GET /alerts`) and Server-Sent Events for live
/// consumers (`GET /alerts/stream`). Owned by the HTTP thread, with its own read-only journal connection.
///
/// A stream reads the journal at its reader's pace: events are appended only while less than
/// ``streamHighWater`` bytes wait to be written, and the rest is read from the journal when the socket drains,
/// so a slow consumer costs a cursor, never a growing buffer. Each event is `id: N`, `event: <type>`,
/// `data: <the alert JSON>`; a comment line every 15 s keeps idle connections open through proxies. A stream
/// starts after `Last-Event-ID` or `since`, or at the newest alert when given neither.
final class AlertFeeds {
    /// One open stream.
    struct Stream {
        /// The last id this stream has considered (sent, or skipped by its filter).
        var cursor: Int64
        var filter: JournalFilter
        /// Monotonic milliseconds of the last bytes queued (event or heartbeat).
        var lastQueued: Int64
    }

    static let heartbeatInterval: Int64 = 15_000
    /// Queued bytes above which a stream waits for its reader.
    static let streamHighWater = 64 * 1024
    /// Journal pages one pump reads at most, so a stream far behind with a rare filter cannot stall the thread.
    static let pagesPerPump = 8

    private let journal: AlertJournal
    private let dispatcher: AlertDispatcher

    init(journal: AlertJournal, dispatcher: AlertDispatcher) {
        self.journal = journal
        self.dispatcher = dispatcher
    }

    /// Answers `GET /alerts`: `{"alerts":[…],"next":ID,"more":BOOL}`. `next` is the `since` of the next page
    /// (it moves past alerts the filter skipped); `more` says whether newer alerts exist already.
    func page(_ query: FeedQuery, keepAlive: Bool, includeBody: Bool, into output: inout [UInt8]) -> HTTPStatus {
        let page: JournalPage
        do {
            page = try journal.read(
                after: query.since ?? 0,
                limit: query.limit,
                filter: query.filter,
                scanLimit: 100_000
            )
        } catch {
            let failure = HTTPError(.internalServerError, reason: "journal_read_failed", detail: "\(error)")
            failure.appendResponse(to: &output, keepAlive: keepAlive, includeBody: includeBody)
            return failure.status
        }
        var body: [UInt8] = []
        body.reserveCapacity(64 + page.entries.count * 256)
        body.append(contentsOf: #"{"alerts":["#.utf8)
        for (index, entry) in page.entries.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            entry.appendJSON(to: &body)
        }
        body.append(contentsOf: #"],"next":"#.utf8)
        body.append(contentsOf: String(page.cursor).utf8)
        body.append(contentsOf: #","more":"#.utf8)
        body.append(contentsOf: (page.cursor < dispatcher.lastCommittedID ? "true" : "false").utf8)
        body.append(UInt8(ascii: "}"))
        HTTPResponseWriter.appendResponse(
            status: .ok,
            contentType: "application/json",
            body: body,
            keepAlive: keepAlive,
            includeBody: includeBody,
            to: &output
        )
        return .ok
    }

    /// Starts `GET /alerts/stream`: the response head and the stream's state.
    func open(_ query: FeedQuery, now: Int64, into output: inout [UInt8]) -> Stream {
        HTTPResponseWriter.appendStreamingHead(headers: ["X-Accel-Buffering": "no"], to: &output)
        output.append(contentsOf: ": fixstream alerts\nretry: 2000\n\n".utf8)
        return Stream(cursor: query.since ?? dispatcher.lastCommittedID, filter: query.filter, lastQueued: now)
    }

    /// Queues the stream's next events while its reader keeps up. Returns whether it is still behind the
    /// journal (call again once its queued bytes are written).
    /// - Throws: a ``StoreError`` when the journal cannot be read (the stream should end).
    func pump(_ stream: inout Stream, output: inout [UInt8], pending: Int, now: Int64) throws -> Bool {
        var queued = pending
        var pages = 0
        let last = dispatcher.lastCommittedID
        while stream.cursor < last && queued < Self.streamHighWater {
            guard pages < Self.pagesPerPump else { break }
            pages += 1
            let page = try journal.read(after: stream.cursor, limit: 256, filter: stream.filter, scanLimit: 10_000)
            let before = output.count
            for entry in page.entries {
                output.append(contentsOf: "id: ".utf8)
                output.append(contentsOf: String(entry.id).utf8)
                output.append(contentsOf: "\nevent: ".utf8)
                output.append(contentsOf: entry.type.utf8)
                output.append(contentsOf: "\ndata: ".utf8)
                entry.appendJSON(to: &output)
                output.append(contentsOf: "\n\n".utf8)
            }
            queued += output.count - before
            if output.count > before { stream.lastQueued = now }
            guard page.cursor > stream.cursor else { break }
            stream.cursor = page.cursor
        }
        return stream.cursor < last
    }

    /// A comment line when nothing was queued for ``heartbeatInterval`` and nothing waits to be written.
    func heartbeat(_ stream: inout Stream, output: inout [UInt8], pending: Int, now: Int64) {
        guard pending == 0, now - stream.lastQueued >= Self.heartbeatInterval else { return }
        output.append(contentsOf: ": keep-alive\n\n".utf8)
        stream.lastQueued = now
    }
}
