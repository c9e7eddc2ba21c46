/// One parsed request, as offsets into the bytes it was parsed from.
///
/// Every range counts from the start of the buffer handed to ``HTTPRequestParser/parse(_:)`` (the first unconsumed
/// byte of the connection), so a server can keep the request while the bytes stay where they are and slice them
/// when needed with ``bytes(_:in:)``. Nothing here owns memory: making a request never allocates. A chunked body is
/// the exception to "offsets into the input": it is decoded into the parser's own buffer, see ``bodyIsDecoded``
/// and ``HTTPRequestParser/withBody(of:in:_:)``.
public struct HTTPRequest: Hashable, Sendable {
    /// The method.
    public var method: HTTPMethod
    /// The protocol version.
    public var version: HTTPVersion
    /// The whole request target as sent (origin form `/path?query`, absolute form or `*`).
    public var target: Range<Int>
    /// The path, still percent-encoded. For an absolute-form target it starts at the path's `/` (and is empty
    /// when the target has no path); for `*` it is the asterisk.
    public var path: Range<Int>
    /// The query after `?`, without the `?`, still encoded; `nil` when the target has no `?`.
    public var query: Range<Int>?
    /// Whether the connection stays open after the response: HTTP/1.1 unless `Connection: close`, HTTP/1.0 only
    /// with `Connection: keep-alive`.
    public var keepAlive: Bool
    /// The `Content-Length` value, or `nil` when the header is absent.
    public var contentLength: Int?
    /// Whether the body came with `Transfer-Encoding: chunked`.
    public var isChunked: Bool
    /// Whether the client sent `Expect: 100-continue`. Known only once the whole request, body included, has been
    /// parsed: the parser does not hand out a head before its body, so a server cannot answer
    /// ``HTTPResponseWriter/appendContinue(to:)`` in time and such clients send the body after their own timeout
    /// (curl waits one second).
    public var expectsContinue: Bool
    /// The `Content-Type` value, trimmed; `nil` when absent.
    public var contentType: Range<Int>?
    /// The `Authorization` value, trimmed; `nil` when absent.
    public var authorization: Range<Int>?
    /// The `Last-Event-ID` value (Server-Sent Events reconnection), trimmed; `nil` when absent.
    public var lastEventID: Range<Int>?
    /// The `Host` value, trimmed; `nil` when absent (only possible with HTTP/1.0).
    public var host: Range<Int>?
    /// The first `Accept` value, trimmed; `nil` when absent.
    public var accept: Range<Int>?
    /// Bytes of the head: leading blank lines, request line, headers and the empty line that ends them.
    public var headLength: Int
    /// Where the body is: a range of the input when ``bodyIsDecoded`` is `false`, otherwise a range of the
    /// parser's decoded-body buffer. Empty when the request has no body.
    public var body: Range<Int>
    /// Whether ``body`` refers to the parser's decoded-body buffer (chunked requests) rather than to the input.
    public var bodyIsDecoded: Bool

    /// Creates a request; the parser is the usual source, this is for tests and synthetic requests.
    public init(
        method: HTTPMethod,
        version: HTTPVersion,
        target: Range<Int>,
        path: Range<Int>,
        query: Range<Int>?,
        keepAlive: Bool,
        headLength: Int
    ) {
        self.method = method
        self.version = version
        self.target = target
        self.path = path
        self.query = query
        self.keepAlive = keepAlive
        self.contentLength = nil
        self.isChunked = false
        self.expectsContinue = false
        self.headLength = headLength
        self.body = headLength ..< headLength
        self.bodyIsDecoded = false
    }

    /// The bytes of `range` in `buffer`, the buffer the request was parsed from.
    ///
    /// - Precondition: `range` lies within `buffer`.
    @inlinable
    public func bytes(_ range: Range<Int>, in buffer: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[range])
    }

    /// The bytes of an optional header range in `buffer`, or `nil` when the header was absent.
    @inlinable
    public func bytes(_ range: Range<Int>?, in buffer: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        range.map { UnsafeRawBufferPointer(rebasing: buffer[$0]) }
    }

    /// A range of the request as a string, for logs and tests (allocates; not for the hot path).
    public func string(_ range: Range<Int>?, in buffer: UnsafeRawBufferPointer) -> String? {
        range.map { String(decoding: buffer[$0], as: UTF8.self) }
    }

    /// Whether the bytes of `range` equal `text`, ignoring ASCII case (for `Content-Type`, `Accept`, ...).
    public func equalsIgnoringCase(
        _ range: Range<Int>?,
        in buffer: UnsafeRawBufferPointer,
        _ text: StaticString
    ) -> Bool {
        guard let range else { return false }
        return HTTPRequestParser.equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: buffer[range]), text)
    }

    /// Whether the bytes of `range` start with `prefix`, ignoring ASCII case (`application/json; charset=utf-8`
    /// starts with `application/json`).
    public func hasPrefixIgnoringCase(
        _ range: Range<Int>?,
        in buffer: UnsafeRawBufferPointer,
        _ prefix: StaticString
    ) -> Bool {
        guard let range, range.count >= prefix.utf8CodeUnitCount else { return false }
        let head = range.lowerBound ..< range.lowerBound + prefix.utf8CodeUnitCount
        return HTTPRequestParser.equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: buffer[head]), prefix)
    }
}
