import FixstreamDeliver
import FixstreamStore

/// Retries after 20 ms doubling to 200 ms: failure tests finish in well under a second.
let quickRetry = RetryPolicy(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200))

/// An endpoint posting to `receiver` with its secret; the journal's history included unless `from` says not.
func endpoint(
    _ name: String,
    _ receiver: WebhookReceiver,
    filter: JournalFilter = JournalFilter(),
    batchSize: Int = 100,
    timeout: Duration = .seconds(30),
    maxAge: Duration = .seconds(60),
    from: WebhookEndpoint.StartPosition = .start
) throws -> WebhookEndpoint {
    try WebhookEndpoint(
        name: name,
        url: receiver.url,
        secret: receiver.secret,
        filter: filter,
        batchSize: batchSize,
        timeout: timeout,
        maxAge: maxAge,
        from: from
    )
}

extension TestJournal {
    /// A dispatcher on this journal with quick retries and a short stop timeout.
    func dispatcher(
        _ endpoints: [WebhookEndpoint],
        retry: RetryPolicy = quickRetry,
        stopTimeout: Duration = .milliseconds(300)
    ) throws -> WebhookDispatcher {
        try WebhookDispatcher(
            dataDirectory: directory,
            endpoints: endpoints,
            options: WebhookDispatcher.Options(retry: retry, stopTimeout: stopTimeout),
            lastCommittedID: lastCommittedID
        )
    }
}

extension WebhookDispatcher {
    /// The metrics of the endpoint named `name`.
    func metrics(_ name: String) -> WebhookEndpointMetrics {
        metrics.first { $0.name == name }!
    }
}
