import FixstreamHTTP
import Testing

/// Request parsing: request line, targets, headers, bodies (Content-Length and chunked), pipelining, requests
/// arriving in pieces, every refusal with its status and reason, the limits and hostile input.
struct HTTPRequestParserTests {
    // MARK: Requests

    @Test func parsesASimpleGET() throws {
        let parsed = Parsed("GET /status HTTP/1.1\r\nHost: fix.example\r\nUser-Agent: t\r\n\r\n")
        let request = try #require(parsed.request)
        #expect(request.method == .get)
        #expect(request.version == .http1_1)
        #expect(parsed.text(request.path) == "/status")
        #expect(parsed.text(request.target) == "/status")
        #expect(request.query == nil)
        #expect(parsed.text(request.host) == "fix.example")
        #expect(request.keepAlive)
        #expect(request.contentLength == nil)
        #expect(!request.isChunked)
        #expect(request.body.isEmpty)
        #expect(request.headLength == parsed.bytes.count)
        #expect(parsed.consumed == parsed.bytes.count)
        #expect(request.contentType == nil && request.authorization == nil && request.accept == nil)
        #expect(request.lastEventID == nil)
    }

    @Test func splitsPathAndQueryWithoutDecoding() throws {
        let parsed = Parsed("GET /osmand?id=van%207&lat=1.5 HTTP/1.1\r\nHost: h\r\n\r\n")
        let request = try #require(parsed.request)
        #expect(parsed.text(request.path) == "/osmand")
        #expect(parsed.text(request.query) == "id=van%207&lat=1.5")
        #expect(parsed.text(request.target) == "/osmand?id=van%207&lat=1.5")

        let emptyQuery = try #require(Parsed("GET /a? HTTP/1.1\r\nHost: h\r\n\r\n").request)
        #expect(emptyQuery.query?.isEmpty == true)

        let secondMark = Parsed("GET /a?b=?c HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(secondMark.text(secondMark.request?.query) == "b=?c")
    }

    @Test func acceptsAbsoluteAndAsteriskTargets() throws {
        let absolute = Parsed("GET http://fix.example:5055/osmand?id=1 HTTP/1.1\r\nHost: fix.example\r\n\r\n")
        #expect(absolute.text(absolute.request?.path) == "/osmand")
        #expect(absolute.text(absolute.request?.query) == "id=1")

        let noPath = Parsed("GET HTTPS://fix.example?id=1 HTTP/1.1\r\nHost: fix.example\r\n\r\n")
        #expect(noPath.request?.path.isEmpty == true)
        #expect(noPath.text(noPath.request?.query) == "id=1")

        let asterisk = Parsed("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(asterisk.request?.method == .options)
        #expect(asterisk.text(asterisk.request?.path) == "*")
    }

    @Test(arguments: HTTPMethod.allCases)
    func acceptsEachSupportedMethod(method: HTTPMethod) {
        let parsed = Parsed("\(method.name) /x HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(parsed.request?.method == method)
    }

    @Test func parsesAPOSTWithAContentLengthBody() throws {
        let parsed = Parsed(
            "POST /osmand HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 11\r\n\r\nid=7&lat=1x"
        )
        let request = try #require(parsed.request)
        #expect(request.method == .post)
        #expect(request.contentLength == 11)
        #expect(parsed.text(request.contentType) == "application/x-www-form-urlencoded")
        #expect(parsed.body == "id=7&lat=1x")
        #expect(parsed.consumed == parsed.bytes.count)
        #expect(!request.bodyIsDecoded)
    }

    @Test func parsesPipelinedRequestsOneAfterTheOther() throws {
        let first = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
        let second = "GET /b?x=1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
        let bytes = Array((first + second).utf8)
        var parser = HTTPRequestParser()
        let outcome = bytes.withUnsafeBytes { parser.parse($0) }
        guard case .request(let one, let consumed) = outcome else {
            Issue.record("expected a request, got \(outcome)")
            return
        }
        #expect(consumed == first.utf8.count)
        #expect(one.body == consumed - 3 ..< consumed)
        let rest = Parsed(Array(bytes[consumed...]))
        let two = try #require(rest.request)
        #expect(two.method == .get)
        #expect(rest.text(two.path) == "/b")
        #expect(!two.keepAlive)
        #expect(rest.consumed == second.utf8.count)
    }

    @Test func ignoresBlankLinesBeforeTheRequestLine() throws {
        let parsed = Parsed("\r\n\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")
        let request = try #require(parsed.request)
        #expect(parsed.text(request.path) == "/")
        #expect(parsed.consumed == parsed.bytes.count)
    }

    @Test func acceptsBareLineFeeds() throws {
        let parsed = Parsed("POST /a HTTP/1.1\nHost: h\nContent-Length: 2\n\nok")
        #expect(parsed.body == "ok")
        #expect(parsed.text(parsed.request?.host) == "h")
    }

    @Test func trimsHeaderValuesAndExposesTheServersHeaders() throws {
        let parsed = Parsed(
            "GET /events HTTP/1.1\r\nHost:h:8080\r\nAccept: \t text/event-stream \r\nAuthorization: Bearer abc\r\n"
                + "Last-Event-ID: 42\r\nAccept: application/json\r\nExpect: 100-continue\r\n\r\n"
        )
        let request = try #require(parsed.request)
        #expect(parsed.text(request.host) == "h:8080")
        #expect(parsed.text(request.accept) == "text/event-stream")
        #expect(parsed.text(request.authorization) == "Bearer abc")
        #expect(parsed.text(request.lastEventID) == "42")
        #expect(request.expectsContinue)
        parsed.bytes.withUnsafeBytes { buffer in
            #expect(request.equalsIgnoringCase(request.accept, in: buffer, "TEXT/event-stream"))
            #expect(request.hasPrefixIgnoringCase(request.authorization, in: buffer, "bearer "))
            #expect(!request.hasPrefixIgnoringCase(request.contentType, in: buffer, "text"))
        }
    }

    @Test func matchesHeaderNamesInAnyCase() throws {
        let parsed = Parsed(
            "POST /a HTTP/1.1\r\nhOsT: h\r\ncontent-LENGTH: 2\r\nCONTENT-TYPE: application/json\r\n"
                + "connection: CLOSE\r\nlast-event-id: 9\r\nAUTHORIZATION: x\r\n\r\n{}"
        )
        let request = try #require(parsed.request)
        #expect(parsed.body == "{}")
        #expect(parsed.text(request.host) == "h")
        #expect(parsed.text(request.contentType) == "application/json")
        #expect(parsed.text(request.lastEventID) == "9")
        #expect(parsed.text(request.authorization) == "x")
        #expect(!request.keepAlive)
    }

    @Test func acceptsARepeatedIdenticalContentLength() {
        let parsed = Parsed("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")
        #expect(parsed.body == "ok")
    }

    // MARK: Keep-alive

    @Test(arguments: [
        ("HTTP/1.1", "", true),
        ("HTTP/1.1", "Connection: close\r\n", false),
        ("HTTP/1.1", "Connection: keep-alive\r\n", true),
        ("HTTP/1.1", "Connection: Upgrade, Close\r\n", false),
        ("HTTP/1.0", "", false),
        ("HTTP/1.0", "Connection: keep-alive\r\n", true),
        ("HTTP/1.0", "Connection: Keep-Alive\r\n", true),
        ("HTTP/1.0", "Connection: foo, keep-alive\r\n", true),
        ("HTTP/1.0", "Connection: keep-alive, close\r\n", false),
        ("HTTP/1.0", "Connection: keepalive\r\n", false),
    ])
    func followsTheKeepAliveRulesOfEachVersion(version: String, header: String, keepAlive: Bool) throws {
        let parsed = Parsed("GET / \(version)\r\nHost: h\r\n\(header)\r\n")
        let request = try #require(parsed.request)
        #expect(request.version == (version == "HTTP/1.0" ? .http1_0 : .http1_1))
        #expect(request.keepAlive == keepAlive)
    }

    @Test func letsHTTP10GoWithoutHost() {
        #expect(Parsed("GET / HTTP/1.0\r\n\r\n").request?.host == nil)
        #expect(Parsed("GET / HTTP/1.0\r\n\r\n").consumed == 18)
    }

    // MARK: Chunked bodies

    @Test func decodesAChunkedBodyWithExtensionsAndTrailers() throws {
        let text =
            "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "4\r\nWiki\r\n5;name=value;flag\r\npedia\r\nA \r\n in\r\nchunk\r\n0;last\r\n"
            + "X-Checksum: 1\r\nX-Other: two\r\n\r\n"
        let parsed = Parsed(text + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n")
        let request = try #require(parsed.request)
        #expect(request.isChunked)
        #expect(request.bodyIsDecoded)
        #expect(request.contentLength == nil)
        #expect(parsed.body == "Wikipedia in\r\nchunk")
        #expect(parsed.consumed == text.utf8.count)
    }

    @Test func decodesChunkedBodiesWithBareLineFeedsAndUppercaseHex() {
        let parsed = Parsed(
            "POST /a HTTP/1.1\nHost: h\nTransfer-Encoding: Chunked\n\n1A\nabcdefghijklmnopqrstuvwxyz\n0\n\n"
        )
        #expect(parsed.body == "abcdefghijklmnopqrstuvwxyz")
    }

    @Test func decodesAnEmptyChunkedBody() throws {
        let parsed = Parsed("POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        let request = try #require(parsed.request)
        #expect(request.body.isEmpty)
        #expect(parsed.body == "")
    }

    @Test func reusesTheDecodedBodyBufferAcrossRequests() throws {
        var parser = HTTPRequestParser()
        for word in ["first-longer-body", "second"] {
            let hex = String(word.utf8.count, radix: 16)
            let bytes = Array(
                "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n\(hex)\r\n\(word)\r\n0\r\n\r\n".utf8
            )
            let body = bytes.withUnsafeBytes { buffer -> String? in
                guard case .request(let request, _) = parser.parse(buffer) else { return nil }
                return parser.withBody(of: request, in: buffer) { String(decoding: $0, as: UTF8.self) }
            }
            #expect(body == word)
        }
    }

    // MARK: Requests in pieces

    static let wholeRequests = [
        "GET /osmand?id=1&lat=2&lon=3 HTTP/1.1\r\nHost: h\r\nUser-Agent: Traccar\r\n\r\n",
        "POST /osmand HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
            + #"{"device":1}"# + "\n",
        "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n",
        "\r\nGET / HTTP/1.0\nConnection: keep-alive\n\n",
    ]

    @Test(arguments: wholeRequests)
    func needsMoreUntilTheLastByteThenGivesTheSameResult(text: String) {
        let bytes = Array(text.utf8)
        let whole = Parsed(bytes)
        #expect(whole.request != nil)
        #expect(whole.consumed == bytes.count)
        var parser = HTTPRequestParser()
        for end in 0 ..< bytes.count {
            let outcome = Array(bytes[0 ..< end]).withUnsafeBytes { parser.parse($0) }
            #expect(outcome == .needMore, "prefix of \(end) bytes")
        }
        let again = bytes.withUnsafeBytes { buffer in
            (parser.parse(buffer), parser.withBody(of: whole.request!, in: buffer) { Array($0) })
        }
        #expect(again.0 == whole.outcome)
        #expect(String(decoding: again.1, as: UTF8.self) == whole.body)
    }

    // MARK: Refusals

    static let refusals: [(String, Int, String)] = [
        ("GARBAGE\r\n\r\n", 400, "bad_request_line"),
        ("GET /\r\n\r\n", 400, "bad_request_line"),
        ("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_request_line"),
        ("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400, "bad_request_line"),
        ("GET / http/1.1\r\nHost: h\r\n\r\n", 400, "bad_request_line"),
        ("GET / HTTP/1.10\r\nHost: h\r\n\r\n", 400, "bad_request_line"),
        ("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_request_line"),
        ("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n", 501, "method_not_implemented"),
        ("get / HTTP/1.1\r\nHost: h\r\n\r\n", 501, "method_not_implemented"),
        ("PATCH / HTTP/1.1\r\nHost: h\r\n\r\n", 501, "method_not_implemented"),
        ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505, "version_not_supported"),
        ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "version_not_supported"),
        ("GET / HTTP/0.9\r\nHost: h\r\n\r\n", 505, "version_not_supported"),
        ("GET osmand HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_request_target"),
        ("GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_request_target"),
        ("GET /a\u{7F} HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_request_target"),
        ("GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_request_target"),
        ("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400, "bad_header"),
        ("GET / HTTP/1.1\r\nHost: h\r\nBad Name: v\r\n\r\n", 400, "bad_header"),
        ("GET / HTTP/1.1\r\nHost: h\r\nName : v\r\n\r\n", 400, "bad_header"),
        ("GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", 400, "bad_header"),
        ("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  folded\r\n\r\n", 400, "bad_header"),
        ("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{0}b\r\n\r\n", 400, "bad_header"),
        ("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n", 400, "bad_header"),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n", 400, "bad_content_length"),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400, "bad_content_length"),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\n", 400, "bad_content_length"),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", 400, "bad_content_length"),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 2\r\n\r\nok", 400, "bad_content_length"),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", 400, "bad_content_length"),
        (
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
            "content_length_with_transfer_encoding"
        ),
        (
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", 400,
            "content_length_with_transfer_encoding"
        ),
        (
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501,
            "unsupported_transfer_encoding"
        ),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400, "bad_transfer_encoding"),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "bad_transfer_encoding"),
        (
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
            "bad_transfer_encoding"
        ),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "bad_chunk"),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n;x\r\n", 400, "bad_chunk"),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\n", 400, "bad_chunk"),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400, "bad_chunk"),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\rX0\r\n\r\n", 400, "bad_chunk"),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n", 400, "bad_header"),
        ("GET / HTTP/1.1\r\n\r\n", 400, "bad_host"),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "bad_host"),
        ("GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n", 400, "bad_host"),
    ]

    @Test(arguments: refusals)
    func refusesWithTheRightStatusAndReason(text: String, status: Int, reason: String) {
        let parsed = Parsed(text)
        #expect(parsed.error?.status.code == status)
        #expect(parsed.error?.reason == reason)
    }

    // MARK: Limits

    @Test func refusesARequestLineOverTheLimitWithOrWithoutItsEnd() {
        let parser = HTTPRequestParser(maxHeaderBytes: 4096, maxRequestLine: 24)
        let exact = "GET /" + String(repeating: "a", count: 10) + " HTTP/1.1"  // 24 bytes
        #expect(Parsed(exact + "\r\nHost: h\r\n\r\n", parser: parser).request != nil)
        let long = "GET /" + String(repeating: "a", count: 11) + " HTTP/1.1"
        #expect(Parsed(long + "\r\nHost: h\r\n\r\n", parser: parser).error == .requestLineTooLong)
        #expect(Parsed(long + "\nHost: h\n\n", parser: parser).error == .requestLineTooLong)
        #expect(Parsed("GET /" + String(repeating: "a", count: 40), parser: parser).error?.status.code == 414)
        #expect(Parsed("GET /" + String(repeating: "a", count: 15), parser: parser).outcome == .needMore)
    }

    @Test func refusesAHeadOverTheLimitWithOrWithoutItsEnd() {
        let parser = HTTPRequestParser(maxHeaderBytes: 64)
        let head = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: " + String(repeating: "p", count: 28) + "\r\n\r\n"
        #expect(head.utf8.count == 64)
        #expect(Parsed(head, parser: parser).request != nil)
        let longer = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: " + String(repeating: "p", count: 29) + "\r\n\r\n"
        #expect(Parsed(longer, parser: parser).error == .headersTooLarge)
        #expect(Parsed(longer, parser: parser).error?.status.code == 431)
        let endless = "GET / HTTP/1.1\r\n" + String(repeating: "X-A: 1\r\n", count: 20)
        #expect(Parsed(endless, parser: parser).error == .headersTooLarge)
        #expect(Parsed(String(repeating: "\r\n", count: 40), parser: parser).error == .headersTooLarge)
    }

    @Test func refusesADeclaredBodyOverTheLimitBeforeItArrives() {
        let parser = HTTPRequestParser(maxBodyBytes: 10)
        #expect(
            Parsed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", parser: parser).body != nil
        )
        #expect(
            Parsed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", parser: parser).error == .bodyTooLarge
        )
        let huge = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999999\r\n\r\n"
        #expect(Parsed(huge, parser: parser).error?.status.code == 413)
    }

    @Test func refusesADecodedChunkedBodyOverTheLimit() {
        let parser = HTTPRequestParser(maxBodyBytes: 10)
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(Parsed(head + "5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n", parser: parser).body == "0123456789")
        #expect(Parsed(head + "5\r\n01234\r\n6\r\n", parser: parser).error == .bodyTooLarge)
        #expect(Parsed(head + "ffffffffffffffffffffffff\r\n", parser: parser).error == .bodyTooLarge)
    }

    @Test func refusesTrailersOverTheHeadLimit() {
        let parser = HTTPRequestParser(maxHeaderBytes: 80)
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        #expect(Parsed(head + String(repeating: "X-T: 1\r\n", count: 11), parser: parser).error == .headersTooLarge)
    }

    // MARK: Hostile input

    @Test func neverCrashesOnRandomBytes() {
        var random = SplitMix64(seed: 0x5EED)
        var parser = HTTPRequestParser(maxHeaderBytes: 512, maxBodyBytes: 512, maxRequestLine: 256)
        for round in 0 ..< 3000 {
            let count = Int(random.next() % 700)
            var bytes = (0 ..< count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if round % 3 == 0 {
                // Bias towards structure: line ends and spaces are where parsers go wrong.
                for index in bytes.indices where random.next() % 8 == 0 {
                    bytes[index] = [0x0A, 0x0D, 0x20, 0x3A][Int(random.next() % 4)]
                }
            }
            let outcome = bytes.withUnsafeBytes { parser.parse($0) }
            if case .request = outcome { Issue.record("random bytes parsed as a request: \(bytes)") }
        }
    }

    @Test func answersBinaryAndForeignProtocolsWith400() {
        let tlsHello: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03, 0x0A, 0x20, 0x0A]
        #expect(Parsed(tlsHello).error?.status.code == 400)
        let allBytes = (0 ... 255).map { UInt8($0) } + [0x0A]
        #expect(Parsed(allBytes).error?.status.code == 400)
        #expect(
            Parsed("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\r\n").error == .badRequestLine
        )
        #expect(Parsed([0xFF, 0xFE, 0x20, 0x2F, 0x20, 0x0A]).error?.status.code == 400)
    }

    @Test func waitsForTheFirstLineOfAPartialPrefix() {
        #expect(Parsed("").outcome == .needMore)
        #expect(Parsed("\r\n").outcome == .needMore)
        #expect(Parsed("GE").outcome == .needMore)
        #expect(Parsed("GET /incomplete").outcome == .needMore)
    }

    @Test func refusesABinaryMethodWithoutWaitingForALineEnd() {
        #expect(Parsed([0x00, 0x01, 0xFF]).error == .badRequestLine)
        #expect(Parsed([0x16, 0x03, 0x01, 0x02, 0x00]).error == .badRequestLine)
    }
}

/// One parse of a whole buffer, with helpers to read ranges back as text.
private struct Parsed {
    let bytes: [UInt8]
    let outcome: HTTPRequestParser.Outcome
    /// The body as text, when a request was parsed.
    let body: String?

    init(_ bytes: [UInt8], parser: HTTPRequestParser = HTTPRequestParser()) {
        var parser = parser
        self.bytes = bytes
        let (outcome, body) = bytes.withUnsafeBytes { buffer -> (HTTPRequestParser.Outcome, String?) in
            let outcome = parser.parse(buffer)
            guard case .request(let request, _) = outcome else { return (outcome, nil) }
            return (outcome, parser.withBody(of: request, in: buffer) { String(decoding: $0, as: UTF8.self) })
        }
        self.outcome = outcome
        self.body = body
    }

    init(_ text: String, parser: HTTPRequestParser = HTTPRequestParser()) {
        self.init(Array(text.utf8), parser: parser)
    }

    var request: HTTPRequest? {
        guard case .request(let request, _) = outcome else { return nil }
        return request
    }

    var consumed: Int? {
        guard case .request(_, let consumed) = outcome else { return nil }
        return consumed
    }

    var error: HTTPError? {
        guard case .failure(let error) = outcome else { return nil }
        return error
    }

    func text(_ range: Range<Int>?) -> String? {
        guard let request else { return nil }
        return bytes.withUnsafeBytes { request.string(range, in: $0) }
    }
}

/// A small deterministic generator so random inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
