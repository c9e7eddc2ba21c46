import FixstreamPipeline

/// Where alerts leave the server: a JSON-lines file today, the SQLite journal and feeds with the delivery issue.
///
/// Called from the alert thread only, in id order.
protocol AlertSink: AnyObject {
    /// Takes alerts numbered `firstID`, `firstID + 1`, ...
    func write(_ alerts: [Alert], firstID: Int64) throws
    /// Makes everything written so far durable or visible (flushes buffers).
    func flush() throws
}
