public import FixstreamStore
import Foundation

/// One webhook receiver: where alerts are POSTed, which ones, how they are signed and batched.
///
/// A plain, validated value: ``init(name:url:secret:filter:batchSize:timeout:maxAge:from:)`` refuses what
/// delivery could not honour, and ``parse(_:)`` reads the configuration file's `webhooks` array. The secret is
/// never printed: the description names the endpoint and its URL only.
public struct WebhookEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Where a new endpoint starts reading the journal (an endpoint is new while it has no durable cursor).
    public enum StartPosition: Sendable, Hashable {
        /// After the journal's last alert when the endpoint is first seen: only alerts raised from then on are
        /// delivered (the default, so adding an endpoint does not flood it with history).
        case latest
        /// From the oldest alert the journal still retains (configuration `"from": "start"`).
        case start
    }

    /// The largest ``batchSize``.
    public static let maximumBatchSize = 1000

    /// Unique among the endpoints; keys the durable cursor, the dead letters and the metrics. 1 to 64 characters
    /// of `A-Z a-z 0-9 . _ -`.
    public let name: String
    /// The absolute `http` or `https` URL alerts are POSTed to.
    public let url: String
    /// The HMAC-SHA256 key, as UTF-8 bytes, of `X-Fixstream-Signature`; never empty.
    public let secret: String
    /// Which alerts this endpoint receives; the empty filter takes all.
    public let filter: JournalFilter
    /// The most alerts per POST, 1 to ``maximumBatchSize``.
    public let batchSize: Int
    /// How long one POST may take, connecting included, before it counts as failed (more than 0, at most 5
    /// minutes).
    public let timeout: Duration
    /// How long a batch is retried after its first failure before it goes to the dead letters (more than 0).
    public let maxAge: Duration
    /// Where the endpoint starts when it has no cursor yet.
    public let from: StartPosition
    /// ``url`` parsed.
    let target: URL

    /// Creates an endpoint, checking every value.
    ///
    /// - Parameters:
    ///   - name: unique among the endpoints; 1 to 64 characters of `A-Z a-z 0-9 . _ -`.
    ///   - url: an absolute `http://` or `https://` URL with a host.
    ///   - secret: the signing key; not empty.
    ///   - filter: which alerts to deliver.
    ///   - batchSize: the most alerts per POST, 1 to 1,000 (default 100).
    ///   - timeout: the most one POST may take (default 10 s).
    ///   - maxAge: how long a failing batch is retried before it is dead-lettered (default 24 h).
    ///   - from: where a new endpoint starts (default ``StartPosition/latest``).
    /// - Throws: ``WebhookError`` with ``WebhookError/Code/invalidValue`` naming the parameter at fault.
    public init(
        name: String,
        url: String,
        secret: String,
        filter: JournalFilter = JournalFilter(),
        batchSize: Int = 100,
        timeout: Duration = .seconds(10),
        maxAge: Duration = .seconds(86_400),
        from: StartPosition = .latest
    ) throws(WebhookError) {
        func invalid(_ key: String, _ message: String) -> WebhookError {
            WebhookError(.invalidValue, message, endpoint: Self.isValidName(name) ? name : nil, key: key)
        }
        guard Self.isValidName(name) else {
            throw invalid("name", "must be 1 to 64 characters of A-Z a-z 0-9 . _ -, not \"\(name)\"")
        }
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = target.host, !host.isEmpty
        else {
            throw invalid("url", "must be an absolute http:// or https:// URL with a host, not \"\(url)\"")
        }
        guard !secret.isEmpty else { throw invalid("secret", "must not be empty") }
        guard (1 ... Self.maximumBatchSize).contains(batchSize) else {
            throw invalid("batch-size", "must be an integer from 1 to \(Self.maximumBatchSize), not \(batchSize)")
        }
        guard timeout > .zero, timeout <= .seconds(300) else {
            throw invalid("timeout", "must be more than 0 and at most 300 seconds, not \(timeout)")
        }
        guard maxAge > .zero else { throw invalid("max-age", "must be more than 0 seconds, not \(maxAge)") }
        self.name = name
        self.url = url
        self.secret = secret
        self.filter = filter
        self.batchSize = batchSize
        self.timeout = timeout
        self.maxAge = maxAge
        self.from = from
        self.target = target
    }

    /// `webhook "<name>" → <url>`, without the secret.
    public var description: String { "webhook \"\(name)\" → \(url)" }

    /// Whether `name` is 1 to 64 characters of `A-Z a-z 0-9 . _ -`.
    static func isValidName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard (1 ... 64).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
                UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
    }
}
