/// An HTTP-level failure: the status to answer with and a short machine-readable reason.
///
/// The parser returns these for requests it refuses (see ``HTTPRequestParser``); handlers may make their own. The
/// reason is a stable snake_case id such as `bad_request_line`, meant for logs, metrics and clients' error handling,
/// never a sentence. An error renders itself as a complete response whose JSON body is
/// `{"error":"<status phrase>","reason":"<reason>"}`, plus `"detail"`: a precise sentence for people, when the
/// handler has one (which feature of a document is wrong, and how).
public struct HTTPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The status of the response.
    public var status: HTTPStatus
    /// Short machine-readable reason (snake_case).
    public var reason: String
    /// What exactly is wrong, for people (rendered as `"detail"` when present).
    public var detail: String?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - status: the response status (normally 4xx or 5xx).
    ///   - reason: a short snake_case id; it is JSON-escaped when rendered.
    ///   - detail: a precise explanation for people, or nil.
    public init(_ status: HTTPStatus, reason: String, detail: String? = nil) {
        self.status = status
        self.reason = reason
        self.detail = detail
    }

    /// `400 bad_request_line <reason>`-style text for logs.
    public var description: String { "\(status.code) \(reason)" }

    /// Appends the JSON body `{"error":"<status phrase>","reason":"<reason>"}` (with `"detail"` when set) to `out`.
    public func appendBody(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"error":""#.utf8)
        HTTPResponseWriter.appendJSONEscaped(status.phrase, to: &out)
        out.append(contentsOf: #"","reason":""#.utf8)
        HTTPResponseWriter.appendJSONEscaped(reason, to: &out)
        if let detail {
            out.append(contentsOf: #"","detail":""#.utf8)
            HTTPResponseWriter.appendJSONEscaped(detail, to: &out)
        }
        out.append(contentsOf: #""}"#.utf8)
    }

    /// Appends the whole response (status line, headers, JSON body) to `out`.
    ///
    /// - Parameters:
    ///   - out: the connection's output buffer.
    ///   - keepAlive: whether the connection stays open afterwards. After a parser failure it must be `false`:
    ///     the parser cannot tell where the next request starts.
    ///   - headers: extra header lines (for example `Retry-After` with a 429 or 503); values must not contain
    ///     CR or LF.
    ///   - includeBody: `false` for the answer to a `HEAD` request (headers, including `Content-Length`, only).
    public func appendResponse(
        to out: inout [UInt8],
        keepAlive: Bool = false,
        headers: KeyValuePairs<String, String> = [:],
        includeBody: Bool = true
    ) {
        var body: [UInt8] = []
        body.reserveCapacity(48 + reason.utf8.count + (detail?.utf8.count ?? 0))
        appendBody(to: &body)
        HTTPResponseWriter.appendResponse(
            status: status,
            contentType: "application/json",
            headers: headers,
            body: body,
            keepAlive: keepAlive,
            includeBody: includeBody,
            to: &out
        )
    }
}

extension HTTPError {
    /// The request line is not `METHOD SP target SP HTTP/x.y`.
    public static let badRequestLine = HTTPError(.badRequest, reason: "bad_request_line")
    /// The request target is not in origin, absolute or asterisk form, or holds forbidden bytes.
    public static let badRequestTarget = HTTPError(.badRequest, reason: "bad_request_target")
    /// A header line is malformed (no colon, bad name, control bytes, obsolete line folding).
    public static let badHeader = HTTPError(.badRequest, reason: "bad_header")
    /// `Content-Length` is not a decimal number, or appears twice with different values.
    public static let badContentLength = HTTPError(.badRequest, reason: "bad_content_length")
    /// Both `Content-Length` and `Transfer-Encoding` were sent (a request smuggling vector).
    public static let contentLengthWithTransferEncoding = HTTPError(
        .badRequest,
        reason: "content_length_with_transfer_encoding"
    )
    /// `Transfer-Encoding` does not end in `chunked`, or repeats it.
    public static let badTransferEncoding = HTTPError(.badRequest, reason: "bad_transfer_encoding")
    /// A transfer coding other than `chunked` (gzip, deflate, ...).
    public static let unsupportedTransferEncoding = HTTPError(.notImplemented, reason: "unsupported_transfer_encoding")
    /// A chunk-size line or the CRLF after a chunk is malformed.
    public static let badChunk = HTTPError(.badRequest, reason: "bad_chunk")
    /// HTTP/1.1 without `Host`, or two `Host` headers.
    public static let badHost = HTTPError(.badRequest, reason: "bad_host")
    /// A well-formed method the parser does not support.
    public static let methodNotImplemented = HTTPError(.notImplemented, reason: "method_not_implemented")
    /// `HTTP/x.y` other than 1.0 and 1.1.
    public static let versionNotSupported = HTTPError(.httpVersionNotSupported, reason: "version_not_supported")
    /// The request line is longer than the configured limit.
    public static let requestLineTooLong = HTTPError(.uriTooLong, reason: "request_line_too_long")
    /// The head (request line and headers), or the chunked trailers, exceed the configured limit.
    public static let headersTooLarge = HTTPError(.requestHeaderFieldsTooLarge, reason: "headers_too_large")
    /// The body (declared or decoded) exceeds the configured limit.
    public static let bodyTooLarge = HTTPError(.contentTooLarge, reason: "body_too_large")
}
