/// Parses HTTP/1.x requests from the unconsumed bytes of a connection's read buffer.
///
/// The parser keeps no state between requests except a reusable buffer for chunked bodies: call ``parse(_:)`` with
/// everything read so far that is not yet consumed; it answers ``Outcome/needMore`` until a whole request (head and
/// body) is there, then ``Outcome/request(_:consumed:)`` with the number of bytes the request took, so pipelined
/// requests are parsed by calling again from that offset. A request with a `Content-Length` body is described
/// entirely by offsets into the input and costs no allocation.
///
/// Accepted: `GET`, `HEAD`, `POST`, `PUT`, `DELETE`, `OPTIONS` (other methods: 501); HTTP/1.0 and 1.1 (other
/// versions: 505); CRLF or bare LF line ends; blank lines before the request line (ignored); header names in any
/// case; `Content-Length` and `Transfer-Encoding: chunked` bodies, chunk extensions and trailers (skipped).
/// Refused with 400 and a reason: a malformed request line, target or header line, obsolete line folding, a
/// `Content-Length` that is not a number or is repeated with a different value, both `Content-Length` and
/// `Transfer-Encoding`, an HTTP/1.1 request without exactly one `Host`. For the limits see
/// ``init(maxHeaderBytes:maxBodyBytes:maxRequestLine:)``.
///
/// After a ``Outcome/failure(_:)`` the connection cannot be resynchronized: answer with the error
/// (``HTTPError/appendResponse(to:keepAlive:headers:includeBody:)`` with `keepAlive: false`) and close.
///
/// Parsing restarts from the first byte on every call, so a head trickling in byte by byte costs
/// O(head²) in total; the head limit bounds it.
public struct HTTPRequestParser: Sendable {
    /// Largest head accepted: leading blank lines, request line, headers and the empty line (431 beyond). Also the
    /// limit for the trailer section of a chunked body.
    public let maxHeaderBytes: Int
    /// Largest body accepted, declared by `Content-Length` or decoded from chunks (413 beyond).
    public let maxBodyBytes: Int
    /// Longest request line accepted, without its line end (414 beyond).
    public let maxRequestLine: Int

    /// Reused for the decoded bytes of chunked bodies; grows to the largest chunked body seen.
    private var decoded: [UInt8] = []

    /// Longest chunk-size line (with extensions) accepted.
    private static let maxChunkLine = 1024

    /// Creates a parser with the given limits.
    ///
    /// - Parameters:
    ///   - maxHeaderBytes: largest head in bytes (431 beyond).
    ///   - maxBodyBytes: largest body in bytes (413 beyond); less than 2^56.
    ///   - maxRequestLine: longest request line in bytes (414 beyond).
    public init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 1024 * 1024, maxRequestLine: Int = 8 * 1024) {
        precondition(maxHeaderBytes > 0 && maxRequestLine > 0 && maxBodyBytes >= 0 && maxBodyBytes < 1 << 56)
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.maxRequestLine = maxRequestLine
    }

    /// What ``HTTPRequestParser/parse(_:)`` found.
    public enum Outcome: Hashable, Sendable {
        /// The bytes are the beginning of a request that is not complete yet: read more and call again.
        case needMore
        /// A complete request; the next request (pipelining) starts at offset `consumed`.
        case request(HTTPRequest, consumed: Int)
        /// The request is refused; answer with the error and close the connection.
        case failure(HTTPError)
    }

    /// Parses the request at the start of `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: the connection's unconsumed input; the request must start at offset 0.
    ///   - bodyLimit: decides, from the parsed head, the largest body this request may have (at most
    ///     ``maxBodyBytes``), so a server can allow a large body to an authorized upload only and refuse any other
    ///     with 413 before reading it; nil: ``maxBodyBytes`` for every request.
    /// - Returns: ``Outcome/needMore``, ``Outcome/request(_:consumed:)`` or ``Outcome/failure(_:)``. For a chunked
    ///   request the decoded body stays in this parser until the next call (see ``withBody(of:in:_:)``).
    public mutating func parse(
        _ bytes: UnsafeRawBufferPointer,
        bodyLimit: ((HTTPRequest, UnsafeRawBufferPointer) -> Int)? = nil
    ) -> Outcome {
        let n = bytes.count
        var start = 0
        while start < n, bytes[start] == Self.cr || bytes[start] == Self.lf { start += 1 }
        guard start < n else { return n >= maxHeaderBytes ? .failure(.headersTooLarge) : .needMore }

        // A method is a token followed by a space: refuse anything else (TLS, binary) without waiting for a line end.
        var methodEnd = start
        while methodEnd < n, Self.isTokenByte(bytes[methodEnd]) { methodEnd += 1 }
        guard methodEnd == n || bytes[methodEnd] == Self.sp else { return .failure(.badRequestLine) }

        // Request line
        let searchEnd = min(n, start + maxRequestLine + 2)
        guard let lineFeed = Self.lineFeed(in: bytes, from: start, to: searchEnd) else {
            if searchEnd < n || n - start >= maxRequestLine + 2 { return .failure(.requestLineTooLong) }
            return n >= maxHeaderBytes ? .failure(.headersTooLarge) : .needMore
        }
        let lineEnd = Self.trimCR(bytes, start, lineFeed)
        guard lineEnd - start <= maxRequestLine else { return .failure(.requestLineTooLong) }
        guard lineFeed < maxHeaderBytes else { return .failure(.headersTooLarge) }
        let line: RequestLine
        switch Self.requestLine(bytes, start, lineEnd) {
        case .success(let parsed): line = parsed
        case .failure(let error): return .failure(error)
        }
        var request = HTTPRequest(
            method: line.method,
            version: line.version,
            target: line.target,
            path: line.path,
            query: line.query,
            keepAlive: false,
            headLength: 0
        )

        // Headers
        var headers = HeaderState()
        var pos = lineFeed + 1
        let headEnd: Int
        while true {
            guard let lf = Self.lineFeed(in: bytes, from: pos, to: min(n, maxHeaderBytes)) else {
                return n >= maxHeaderBytes ? .failure(.headersTooLarge) : .needMore
            }
            let end = Self.trimCR(bytes, pos, lf)
            if end == pos {
                headEnd = lf + 1
                break
            }
            guard let (name, value) = Self.headerLine(bytes, pos, end) else { return .failure(.badHeader) }
            if let error = headers.take(name: name, value: value, in: bytes, into: &request) { return .failure(error) }
            pos = lf + 1
        }
        request.headLength = headEnd
        if request.version == .http1_1 && request.host == nil { return .failure(.badHost) }
        request.keepAlive =
            !headers.close && (request.version == .http1_1 || headers.keepAlive)
        let limit = min(maxBodyBytes, max(0, bodyLimit?(request, bytes) ?? maxBodyBytes))

        // Body
        if headers.transferCodings > 0 {
            guard request.contentLength == nil else { return .failure(.contentLengthWithTransferEncoding) }
            guard headers.chunkedCount == 1 && headers.lastCodingIsChunked else {
                return .failure(.badTransferEncoding)
            }
            guard headers.transferCodings == 1 else { return .failure(.unsupportedTransferEncoding) }
            request.isChunked = true
            switch scanChunked(bytes, from: headEnd, copy: false, limit: limit) {
            case .needMore: return .needMore
            case .failure(let error): return .failure(error)
            case .complete(let end, let size):
                decoded.removeAll(keepingCapacity: true)
                decoded.reserveCapacity(size)
                _ = scanChunked(bytes, from: headEnd, copy: true, limit: limit)
                request.body = 0 ..< size
                request.bodyIsDecoded = true
                return .request(request, consumed: end)
            }
        }
        let length = request.contentLength ?? 0
        guard length <= limit else { return .failure(.bodyTooLarge) }
        guard n - headEnd >= length else { return .needMore }
        request.body = headEnd ..< headEnd + length
        return .request(request, consumed: headEnd + length)
    }

    /// Calls `body` with the request's body bytes, wherever they are.
    ///
    /// - Parameters:
    ///   - request: a request returned by the latest ``parse(_:)`` call (a chunked body is only kept until the
    ///     next call).
    ///   - buffer: the bytes that call parsed.
    ///   - body: receives the body; the pointer must not escape.
    public func withBody<R>(
        of request: HTTPRequest,
        in buffer: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        if request.bodyIsDecoded {
            return try decoded.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[request.body])) }
        }
        return try body(UnsafeRawBufferPointer(rebasing: buffer[request.body]))
    }
}

// MARK: - Request line

extension HTTPRequestParser {
    private struct RequestLine {
        var method: HTTPMethod
        var version: HTTPVersion
        var target: Range<Int>
        var path: Range<Int>
        var query: Range<Int>?
    }

    /// Parses `METHOD SP target SP HTTP/d.d` in `start ..< end`.
    private static func requestLine(
        _ b: UnsafeRawBufferPointer,
        _ start: Int,
        _ end: Int
    ) -> Result<RequestLine, HTTPError> {
        var i = start
        while i < end, b[i] != sp { i += 1 }
        let methodEnd = i
        guard methodEnd > start, methodEnd < end else { return .failure(.badRequestLine) }
        i += 1
        let targetStart = i
        while i < end, b[i] != sp { i += 1 }
        let targetEnd = i
        guard targetEnd > targetStart, targetEnd < end else { return .failure(.badRequestLine) }
        let v = targetEnd + 1

        // Version: exactly HTTP/d.d (case-sensitive).
        guard end - v == 8, b[v] == UInt8(ascii: "H"), b[v + 1] == UInt8(ascii: "T"), b[v + 2] == UInt8(ascii: "T"),
            b[v + 3] == UInt8(ascii: "P"), b[v + 4] == UInt8(ascii: "/"), b[v + 6] == UInt8(ascii: "."),
            b[v + 5] &- UInt8(ascii: "0") < 10, b[v + 7] &- UInt8(ascii: "0") < 10
        else { return .failure(.badRequestLine) }
        let version: HTTPVersion
        switch (b[v + 5], b[v + 7]) {
        case (UInt8(ascii: "1"), UInt8(ascii: "1")): version = .http1_1
        case (UInt8(ascii: "1"), UInt8(ascii: "0")): version = .http1_0
        default: return .failure(.versionNotSupported)
        }

        // Method: a token; one of ours or 501.
        for k in start ..< methodEnd where !isTokenByte(b[k]) { return .failure(.badRequestLine) }
        guard let method = HTTPMethod(bytes: UnsafeRawBufferPointer(rebasing: b[start ..< methodEnd])) else {
            return .failure(.methodNotImplemented)
        }

        // Target: visible ASCII (bytes >= 0x80 tolerated), in origin, absolute or asterisk form.
        for k in targetStart ..< targetEnd {
            let byte = b[k]
            guard byte > sp && byte != 0x7F else { return .failure(.badRequestTarget) }
        }
        let target = targetStart ..< targetEnd
        var pathStart = targetStart
        switch b[targetStart] {
        case UInt8(ascii: "/"):
            break
        case UInt8(ascii: "*"):
            guard target.count == 1, method == .options else { return .failure(.badRequestTarget) }
            return .success(RequestLine(method: method, version: version, target: target, path: target, query: nil))
        default:
            let slice = UnsafeRawBufferPointer(rebasing: b[target])
            var authority: Int
            if hasPrefixIgnoringCase(slice, "http://") {
                authority = targetStart + 7
            } else if hasPrefixIgnoringCase(slice, "https://") {
                authority = targetStart + 8
            } else {
                return .failure(.badRequestTarget)
            }
            while authority < targetEnd, b[authority] != UInt8(ascii: "/"), b[authority] != UInt8(ascii: "?") {
                authority += 1
            }
            pathStart = authority
        }
        var q = pathStart
        while q < targetEnd, b[q] != UInt8(ascii: "?") { q += 1 }
        return .success(
            RequestLine(
                method: method,
                version: version,
                target: target,
                path: pathStart ..< q,
                query: q < targetEnd ? q + 1 ..< targetEnd : nil
            )
        )
    }
}

// MARK: - Headers

extension HTTPRequestParser {
    /// What the headers said beyond the values stored in the request.
    private struct HeaderState {
        var close = false
        var keepAlive = false
        var transferCodings = 0
        var chunkedCount = 0
        var lastCodingIsChunked = false

        /// Files one header; returns an error for a bad or conflicting value.
        mutating func take(
            name: Range<Int>,
            value: Range<Int>,
            in b: UnsafeRawBufferPointer,
            into request: inout HTTPRequest
        ) -> HTTPError? {
            let nameBytes = UnsafeRawBufferPointer(rebasing: b[name])
            let valueBytes = UnsafeRawBufferPointer(rebasing: b[value])
            switch name.count {
            case 4:
                if equalsIgnoringCase(nameBytes, "host") {
                    guard request.host == nil else { return .badHost }
                    request.host = value
                }
            case 6:
                if equalsIgnoringCase(nameBytes, "accept") {
                    if request.accept == nil { request.accept = value }
                } else if equalsIgnoringCase(nameBytes, "expect") {
                    if equalsIgnoringCase(valueBytes, "100-continue") { request.expectsContinue = true }
                }
            case 10:
                if equalsIgnoringCase(nameBytes, "connection") {
                    forEachToken(valueBytes) { token in
                        if equalsIgnoringCase(token, "close") {
                            close = true
                        } else if equalsIgnoringCase(token, "keep-alive") {
                            keepAlive = true
                        }
                    }
                }
            case 12:
                if equalsIgnoringCase(nameBytes, "content-type"), request.contentType == nil {
                    request.contentType = value
                }
            case 13:
                if equalsIgnoringCase(nameBytes, "authorization") {
                    if request.authorization == nil { request.authorization = value }
                } else if equalsIgnoringCase(nameBytes, "last-event-id") {
                    if request.lastEventID == nil { request.lastEventID = value }
                }
            case 14:
                if equalsIgnoringCase(nameBytes, "content-length") {
                    guard let length = contentLength(valueBytes) else { return .badContentLength }
                    if let previous = request.contentLength, previous != length { return .badContentLength }
                    request.contentLength = length
                }
            case 17:
                if equalsIgnoringCase(nameBytes, "transfer-encoding") {
                    forEachToken(valueBytes) { token in
                        transferCodings += 1
                        lastCodingIsChunked = equalsIgnoringCase(token, "chunked")
                        if lastCodingIsChunked { chunkedCount += 1 }
                    }
                }
            default:
                break
            }
            return nil
        }
    }

    /// A `Content-Length` value: 1 to 18 decimal digits. Longer runs of digits read as `Int.max` (then 413).
    private static func contentLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value > 99_999_999_999_999_999 ? Int.max : value * 10 + Int(digit)
        }
        return value
    }

    /// Calls `body` with each non-empty, trimmed element of a comma-separated list.
    private static func forEachToken(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var i = 0
        while i <= bytes.count {
            var end = i
            while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
            var a = i
            var z = end
            while a < z, bytes[a] == sp || bytes[a] == ht { a += 1 }
            while z > a, bytes[z - 1] == sp || bytes[z - 1] == ht { z -= 1 }
            if z > a { body(UnsafeRawBufferPointer(rebasing: bytes[a ..< z])) }
            i = end + 1
        }
    }

    /// Splits a header line (without line end) into name and trimmed value; `nil` when malformed.
    private static func headerLine(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (Range<Int>, Range<Int>)? {
        var colon = start
        while colon < end, b[colon] != UInt8(ascii: ":") {
            guard isTokenByte(b[colon]) else { return nil }  // also refuses obs-fold lines, which start with space
            colon += 1
        }
        guard colon > start, colon < end else { return nil }
        var valueStart = colon + 1
        var valueEnd = end
        while valueStart < valueEnd, b[valueStart] == sp || b[valueStart] == ht { valueStart += 1 }
        while valueEnd > valueStart, b[valueEnd - 1] == sp || b[valueEnd - 1] == ht { valueEnd -= 1 }
        for k in valueStart ..< valueEnd {
            let byte = b[k]
            guard (byte >= sp && byte != 0x7F) || byte == ht else { return nil }
        }
        return (start ..< colon, valueStart ..< valueEnd)
    }
}

// MARK: - Chunked bodies

extension HTTPRequestParser {
    private enum ChunkScan {
        case needMore
        case failure(HTTPError)
        case complete(end: Int, size: Int)
    }

    /// Walks a chunked body from `start`: chunk-size lines (extensions skipped), data, the last chunk and the
    /// trailer section. With `copy`, appends the data to ``decoded``.
    private mutating func scanChunked(
        _ b: UnsafeRawBufferPointer,
        from start: Int,
        copy: Bool,
        limit: Int
    ) -> ChunkScan {
        let n = b.count
        var pos = start
        var total = 0
        while true {
            guard let lf = Self.lineFeed(in: b, from: pos, to: min(n, pos + Self.maxChunkLine)) else {
                return n - pos >= Self.maxChunkLine ? .failure(.badChunk) : .needMore
            }
            let end = Self.trimCR(b, pos, lf)
            var k = pos
            var size = 0
            while k < end, let digit = Self.hexValue(b[k]) {
                size = size << 4 | Int(digit)
                guard size <= limit - total else { return .failure(.bodyTooLarge) }
                k += 1
            }
            guard k > pos else { return .failure(.badChunk) }
            while k < end, b[k] == Self.sp || b[k] == Self.ht { k += 1 }
            if k < end {
                guard b[k] == UInt8(ascii: ";") else { return .failure(.badChunk) }
                for index in k ..< end {
                    let byte = b[index]
                    guard (byte >= Self.sp && byte != 0x7F) || byte == Self.ht else { return .failure(.badChunk) }
                }
            }
            pos = lf + 1
            if size == 0 { break }
            let dataEnd = pos + size
            guard dataEnd < n else { return .needMore }
            let next: Int
            if b[dataEnd] == Self.cr {
                guard dataEnd + 1 < n else { return .needMore }
                guard b[dataEnd + 1] == Self.lf else { return .failure(.badChunk) }
                next = dataEnd + 2
            } else {
                guard b[dataEnd] == Self.lf else { return .failure(.badChunk) }
                next = dataEnd + 1
            }
            if copy { decoded.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[pos ..< dataEnd])) }
            total += size
            pos = next
        }
        // Trailer section: header lines up to an empty line; checked for form, then skipped.
        let trailerStart = pos
        while true {
            guard let lf = Self.lineFeed(in: b, from: pos, to: min(n, trailerStart + maxHeaderBytes)) else {
                return n - trailerStart >= maxHeaderBytes ? .failure(.headersTooLarge) : .needMore
            }
            let end = Self.trimCR(b, pos, lf)
            if end == pos { return .complete(end: lf + 1, size: total) }
            guard Self.headerLine(b, pos, end) != nil else { return .failure(.badHeader) }
            pos = lf + 1
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }
}

// MARK: - Bytes

extension HTTPRequestParser {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let ht: UInt8 = 0x09

    /// Index of the first LF in `from ..< to`, or `nil`.
    @inline(__always)
    private static func lineFeed(in b: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        var i = from
        while i < to {
            if b[i] == lf { return i }
            i += 1
        }
        return nil
    }

    /// The end of a line ending at the LF at `lineFeed`, without a CR just before it.
    @inline(__always)
    private static func trimCR(_ b: UnsafeRawBufferPointer, _ start: Int, _ lineFeed: Int) -> Int {
        lineFeed > start && b[lineFeed - 1] == cr ? lineFeed - 1 : lineFeed
    }

    /// RFC 9110 `tchar`: the bytes allowed in methods and header names.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
            UInt8(ascii: "0") ... UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Whether `bytes` equal `text` (lower case letters, digits and `-`), ignoring ASCII case.
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let p = text.utf8Start
        for index in 0 ..< bytes.count where bytes[index] | 0x20 != p[index] | 0x20 { return false }
        return true
    }

    /// Whether `bytes` start with `text`, ignoring ASCII case.
    static func hasPrefixIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        guard bytes.count >= text.utf8CodeUnitCount else { return false }
        return equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: bytes[0 ..< text.utf8CodeUnitCount]), text)
    }
}
