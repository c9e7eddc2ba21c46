import FixstreamHTTP
import Testing

/// Errors render as complete responses with a JSON body naming the status and the reason.
struct HTTPErrorTests {
    @Test func rendersAJSONResponse() {
        var out: [UInt8] = []
        HTTPError.badContentLength.appendResponse(to: &out)
        let body = #"{"error":"Bad Request","reason":"bad_content_length"}"#
        #expect(
            text(out)
                == "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        )
    }

    @Test func rendersExtraHeadersAndKeepAlive() {
        var out: [UInt8] = []
        HTTPError(.tooManyRequests, reason: "rate_limited").appendResponse(
            to: &out,
            keepAlive: true,
            headers: ["Retry-After": "1"]
        )
        #expect(text(out).hasPrefix("HTTP/1.1 429 Too Many Requests\r\n"))
        #expect(text(out).contains("Connection: keep-alive\r\nRetry-After: 1\r\n\r\n"))
        #expect(text(out).hasSuffix(#"{"error":"Too Many Requests","reason":"rate_limited"}"#))
    }

    @Test func rendersHeadersOnlyForHEAD() {
        var out: [UInt8] = []
        HTTPError(.notFound, reason: "no_route").appendResponse(to: &out, includeBody: false)
        #expect(text(out).hasSuffix("Content-Length: 41\r\nConnection: close\r\n\r\n"))
    }

    @Test func escapesTheReason() {
        var body: [UInt8] = []
        HTTPError(.badRequest, reason: "quote\"and\\slash").appendBody(to: &body)
        #expect(text(body) == #"{"error":"Bad Request","reason":"quote\"and\\slash"}"#)
    }

    @Test func describesItselfForLogs() {
        #expect(HTTPError.headersTooLarge.description == "431 headers_too_large")
        #expect(HTTPError.bodyTooLarge.status == .contentTooLarge)
        #expect(HTTPError.requestLineTooLong.status == .uriTooLong)
        #expect(HTTPError.methodNotImplemented.status == .notImplemented)
        #expect(HTTPError.versionNotSupported.status == .httpVersionNotSupported)
    }
}
