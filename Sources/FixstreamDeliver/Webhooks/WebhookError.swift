/// Why a webhook configuration was refused, or why webhook delivery could not start.
///
/// `code` is a stable, extensible identifier for programs; `message` says precisely what is wrong. Where it
/// happened is named by the endpoint (its 0-based index in the `webhooks` array, its name once known) and the
/// configuration key at fault; the description reads `webhooks[2] ("orders"): batch-size: must be an integer
/// from 1 to 1000, not 0`.
public struct WebhookError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The identifier, snake_case.
        public let rawValue: String

        /// Creates a code.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The identifier.
        public var description: String { rawValue }

        /// The `webhooks` value is not an array of objects.
        public static let invalidDocument = Code("invalid_document")
        /// An endpoint object has a key this build does not know (a typo must not silently change delivery).
        public static let unknownKey = Code("unknown_key")
        /// A required key (`name`, `url`, `secret`) is missing.
        public static let missingKey = Code("missing_key")
        /// A value has the wrong type or is out of range; the message says what is accepted.
        public static let invalidValue = Code("invalid_value")
        /// Two endpoints share a name (names key the durable cursors and the metrics).
        public static let duplicateName = Code("duplicate_name")
        /// The delivery store or the alert journal could not be opened or prepared (see ``WebhookError/cause``).
        public static let storeFailed = Code("store_failed")
        /// The delivery thread or its wake-up descriptors could not be created (see ``WebhookError/cause``).
        public static let systemFailed = Code("system_failed")
    }

    /// The kind of problem.
    public var code: Code
    /// What is wrong, without the endpoint and key prefix.
    public var message: String
    /// 0-based index of the endpoint in the `webhooks` array, when the problem is in one.
    public var index: Int?
    /// The endpoint's name, once known.
    public var endpoint: String?
    /// The configuration key at fault.
    public var key: String?
    /// The underlying failure (a `StoreError`, a `SystemError`), when there is one.
    public var cause: (any Error)?

    /// Creates an error.
    public init(
        _ code: Code,
        _ message: String,
        index: Int? = nil,
        endpoint: String? = nil,
        key: String? = nil,
        cause: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.index = index
        self.endpoint = endpoint
        self.key = key
        self.cause = cause
    }

    /// `webhooks[<index>] ("<name>"): <key>: <message>`, with the parts that are known.
    public var description: String {
        var text = ""
        if let index { text += "webhooks[\(index)]" }
        if let endpoint { text += text.isEmpty ? "webhook \"\(endpoint)\"" : " (\"\(endpoint)\")" }
        if let key { text += (text.isEmpty ? "" : ": ") + key }
        return text.isEmpty ? message : text + ": " + message
    }
}
