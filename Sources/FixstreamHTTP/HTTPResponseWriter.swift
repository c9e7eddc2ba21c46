/// Writes HTTP/1.1 responses into a connection's output buffer.
///
/// Everything is appended to an `inout [UInt8]` the caller owns and reuses, so writing a response costs no
/// allocation once the buffer has grown. Responses always say `HTTP/1.1` (also to HTTP/1.0 clients, as RFC 9110
/// allows) and always carry a `Connection` header, which is how HTTP/1.0 clients learn the connection stays open.
public enum HTTPResponseWriter {
    /// Appends a complete response with a body.
    ///
    /// - Parameters:
    ///   - status: the status; for 1xx, 204 and 304 neither `Content-Length` nor the body is written.
    ///   - contentType: the `Content-Type` value, or `nil` for none.
    ///   - headers: extra header lines, written in order; names and values must not contain CR or LF.
    ///   - body: the body bytes (`[UInt8]`, `String.UTF8View`, `UnsafeRawBufferPointer`, ...).
    ///   - keepAlive: `Connection: keep-alive` when `true`, `Connection: close` otherwise.
    ///   - includeBody: `false` for the answer to a `HEAD` request: `Content-Length` still tells the body's size.
    ///   - out: the output buffer.
    /// - Complexity: O(header bytes + body count).
    public static func appendResponse<Body: Collection<UInt8>>(
        status: HTTPStatus,
        contentType: String? = nil,
        headers: KeyValuePairs<String, String> = [:],
        body: Body,
        keepAlive: Bool,
        includeBody: Bool = true,
        to out: inout [UInt8]
    ) {
        appendStatusLine(status, to: &out)
        if let contentType { appendHeader("Content-Type", contentType, to: &out) }
        if !status.forbidsBody {
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(body.count, to: &out)
            out.append(contentsOf: crlf)
        }
        appendHeader("Connection", keepAlive ? "keep-alive" : "close", to: &out)
        for (name, value) in headers { appendHeader(name, value, to: &out) }
        out.append(contentsOf: crlf)
        if includeBody && !status.forbidsBody { out.append(contentsOf: body) }
    }

    /// Appends a complete response without a body (`Content-Length: 0`, or none for 1xx/204/304).
    ///
    /// - Parameters:
    ///   - status: the status.
    ///   - headers: extra header lines; names and values must not contain CR or LF.
    ///   - keepAlive: whether the connection stays open.
    ///   - out: the output buffer.
    public static func appendResponse(
        status: HTTPStatus,
        headers: KeyValuePairs<String, String> = [:],
        keepAlive: Bool,
        to out: inout [UInt8]
    ) {
        appendResponse(
            status: status,
            contentType: nil,
            headers: headers,
            body: EmptyCollection<UInt8>(),
            keepAlive: keepAlive,
            to: &out
        )
    }

    /// Appends the head of a streamed response such as Server-Sent Events: no `Content-Length`,
    /// `Cache-Control: no-cache`, `Connection: close`.
    ///
    /// The body that follows is delimited by closing the connection (RFC 9112 §6.3), so the connection is not
    /// reused afterwards and the head says so; the client still keeps it open for as long as the stream lasts.
    ///
    /// - Parameters:
    ///   - status: normally 200.
    ///   - contentType: `text/event-stream` for SSE.
    ///   - headers: extra header lines; names and values must not contain CR or LF.
    ///   - out: the output buffer; append the stream's bytes after this head.
    public static func appendStreamingHead(
        status: HTTPStatus = .ok,
        contentType: String = "text/event-stream",
        headers: KeyValuePairs<String, String> = [:],
        to out: inout [UInt8]
    ) {
        appendStatusLine(status, to: &out)
        appendHeader("Content-Type", contentType, to: &out)
        appendHeader("Cache-Control", "no-cache", to: &out)
        appendHeader("Connection", "close", to: &out)
        for (name, value) in headers { appendHeader(name, value, to: &out) }
        out.append(contentsOf: crlf)
    }

    /// Appends the interim `HTTP/1.1 100 Continue` response, for requests with ``HTTPRequest/expectsContinue``.
    public static func appendContinue(to out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8)
    }

    /// Appends `HTTP/1.1 <code> <phrase>` and CRLF.
    public static func appendStatusLine(_ status: HTTPStatus, to out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status.code, to: &out)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: status.phrase.utf8)
        out.append(contentsOf: crlf)
    }

    /// Appends one `Name: value` header line and CRLF.
    ///
    /// - Precondition: neither name nor value contains CR or LF (checked in debug builds).
    public static func appendHeader(_ name: String, _ value: String, to out: inout [UInt8]) {
        assert(!name.utf8.contains { $0 == 0x0D || $0 == 0x0A } && !value.utf8.contains { $0 == 0x0D || $0 == 0x0A })
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: ": ".utf8)
        out.append(contentsOf: value.utf8)
        out.append(contentsOf: crlf)
    }

    /// Appends a non-negative integer in decimal.
    public static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        precondition(value >= 0, "negative lengths and codes are never written")
        if value < 10 {
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for Int.max's 19 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[23 - count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                count += 1
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    /// Appends `text` escaped for use inside a JSON string (quotes, backslashes and control characters).
    public static func appendJSONEscaped(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0 ..< 0x20:
                let hex: StaticString = "0123456789abcdef"
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex.utf8Start[Int(byte >> 4)])
                out.append(hex.utf8Start[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
    }

    private static let crlf: [UInt8] = [0x0D, 0x0A]
}
