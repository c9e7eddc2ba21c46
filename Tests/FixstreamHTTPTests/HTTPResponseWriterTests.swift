import FixstreamHTTP
import Testing

/// Response writing: status lines and phrases, headers, bodies, `HEAD`, bodiless statuses and the streaming head.
struct HTTPResponseWriterTests {
    @Test func writesAFullResponse() {
        var out: [UInt8] = []
        HTTPResponseWriter.appendResponse(
            status: .ok,
            contentType: "application/json",
            headers: ["X-Fixes": "3"],
            body: #"{"ok":true}"#.utf8,
            keepAlive: true,
            to: &out
        )
        #expect(
            text(out)
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
                + "Connection: keep-alive\r\nX-Fixes: 3\r\n\r\n{\"ok\":true}"
        )
    }

    @Test func appendsToWhatIsAlreadyInTheBuffer() {
        var out = Array("previous".utf8)
        HTTPResponseWriter.appendResponse(status: .notFound, body: [UInt8](), keepAlive: false, to: &out)
        #expect(text(out) == "previousHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    @Test func writesABodylessResponse() {
        var out: [UInt8] = []
        HTTPResponseWriter.appendResponse(status: .created, keepAlive: true, to: &out)
        #expect(text(out) == "HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test func leavesOutLengthAndBodyFor204() {
        var out: [UInt8] = []
        HTTPResponseWriter.appendResponse(status: .noContent, body: "ignored".utf8, keepAlive: true, to: &out)
        #expect(text(out) == "HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test func keepsTheLengthButNotTheBodyForHEAD() {
        var out: [UInt8] = []
        HTTPResponseWriter.appendResponse(
            status: .ok,
            contentType: "text/plain",
            body: "hello".utf8,
            keepAlive: true,
            includeBody: false,
            to: &out
        )
        #expect(
            text(out)
                == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n"
        )
    }

    @Test func writesTheStreamingHead() {
        var out: [UInt8] = []
        HTTPResponseWriter.appendStreamingHead(headers: ["X-Accel-Buffering": "no"], to: &out)
        #expect(
            text(out)
                == "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Connection: close\r\nX-Accel-Buffering: no\r\n\r\n"
        )
        #expect(!text(out).contains("Content-Length"))
    }

    @Test func writesContinue() {
        var out: [UInt8] = []
        HTTPResponseWriter.appendContinue(to: &out)
        #expect(text(out) == "HTTP/1.1 100 Continue\r\n\r\n")
    }

    @Test(arguments: [0, 7, 10, 99, 100, 12345, 1 << 40, Int.max])
    func writesDecimalNumbers(value: Int) {
        var out: [UInt8] = []
        HTTPResponseWriter.appendDecimal(value, to: &out)
        #expect(text(out) == String(value))
    }

    @Test(arguments: [
        (200, "OK"), (201, "Created"), (204, "No Content"), (400, "Bad Request"), (401, "Unauthorized"),
        (403, "Forbidden"), (404, "Not Found"), (405, "Method Not Allowed"), (408, "Request Timeout"),
        (411, "Length Required"), (413, "Content Too Large"), (414, "URI Too Long"), (429, "Too Many Requests"),
        (431, "Request Header Fields Too Large"), (500, "Internal Server Error"), (501, "Not Implemented"),
        (503, "Service Unavailable"), (505, "HTTP Version Not Supported"),
    ])
    func knowsTheStandardPhrase(code: Int, phrase: String) {
        #expect(HTTPStatus(code: code).phrase == phrase)
        var out: [UInt8] = []
        HTTPResponseWriter.appendStatusLine(HTTPStatus(code: code), to: &out)
        #expect(text(out) == "HTTP/1.1 \(code) \(phrase)\r\n")
    }

    @Test func fallsBackToAClassPhrase() {
        #expect(HTTPStatus(code: 418).phrase == "Client Error")
        #expect(HTTPStatus(code: 599).phrase == "Server Error")
        #expect(HTTPStatus.notFound.description == "404 Not Found")
    }

    @Test func escapesJSONText() {
        var out: [UInt8] = []
        HTTPResponseWriter.appendJSONEscaped("a\"b\\c\nd\u{1}é", to: &out)
        #expect(text(out) == #"a\"b\\c\nd\u0001é"#)
    }
}

/// The bytes as UTF-8 text.
func text(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}
