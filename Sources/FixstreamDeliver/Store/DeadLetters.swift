public import FixstreamStore

/// The dead letters as the API serves them: listed without bodies, replayed or deleted by id.
///
/// A dead letter is a batch whose retries ran out (its endpoint's `maxAge` passed since its first failure); it
/// keeps the exact body that was POSTed. ``requestReplay(id:)`` marks it: the dispatcher's endpoint of that name
/// POSTs it again (signed with the endpoint's current secret, to its current URL) within about half a second,
/// deletes it on a 2xx, and otherwise records the attempt and clears the mark. Dead letters of endpoints no longer
/// configured stay until deleted.
///
/// **Threading.** Opens its own connection to `<data directory>/delivery.sqlite3`: create one on the thread that
/// uses it (the HTTP thread), like every store connection.
public final class DeadLetters {
    private let store: DeliveryStore

    /// Opens the delivery store in `dataDirectory` (creating it when webhooks never ran there).
    ///
    /// - Throws: ``StoreError`` when the store cannot be opened (``StoreError/Code/notADeliveryStore`` for a
    ///   foreign file).
    public init(dataDirectory: String) throws(StoreError) {
        store = try DeliveryStore(dataDirectory: dataDirectory)
    }

    /// Up to `limit` dead letters with ids above `after`, oldest first, without their bodies.
    ///
    /// - Parameters:
    ///   - endpoint: only this endpoint's; nil for all.
    ///   - after: exclusive: continue with the last id of the previous page.
    ///   - limit: the most to return.
    /// - Throws: ``StoreError`` when the read fails or `limit` is negative.
    /// - Complexity: O(log n + k) for the k rows returned (all endpoints), or the rows scanned past others'.
    public func list(endpoint: String? = nil, after: Int64 = 0, limit: Int = 100) throws(StoreError) -> [DeadLetter] {
        try store.deadLetters(endpoint: endpoint, after: after, limit: limit)
    }

    /// Asks for dead letter `id` to be POSTed again.
    ///
    /// - Returns: whether it exists (false: answer 404).
    /// - Throws: ``StoreError`` when the write fails.
    @discardableResult
    public func requestReplay(id: Int64) throws(StoreError) -> Bool {
        try store.requestReplay(id)
    }

    /// Deletes dead letter `id` (its alerts are then never delivered to that endpoint).
    ///
    /// - Returns: whether it existed (false: answer 404).
    /// - Throws: ``StoreError`` when the write fails.
    @discardableResult
    public func delete(id: Int64) throws(StoreError) -> Bool {
        try store.deleteDeadLetter(id)
    }
}

/// One connection per thread: the compiler refuses to send it elsewhere.
@available(*, unavailable)
extension DeadLetters: Sendable {}
