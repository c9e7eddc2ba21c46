import FixstreamNet
import Foundation
import Synchronization
import Testing

@testable import FixstreamServer

/// A control plane that records what it was asked and answers as told.
final class RecordingControlPlane: ControlPlane, Sendable {
    struct Call: Equatable {
        var method: String
        var kind: ControlKind
        var id: String
        var body: String
    }

    private let calls = Mutex<[Call]>([])
    private let answer: Mutex<ControlOutcome>

    init(answer: ControlOutcome = .stored(created: true)) {
        self.answer = Mutex(answer)
    }

    var recorded: [Call] { calls.withLock { $0 } }

    func answer(with outcome: ControlOutcome) { answer.withLock { $0 = outcome } }

    func put(_ kind: ControlKind, id: String, body: [UInt8]) -> ControlOutcome {
        calls.withLock {
            $0.append(Call(method: "PUT", kind: kind, id: id, body: String(decoding: body, as: UTF8.self)))
        }
        return answer.withLock { $0 }
    }

    func delete(_ kind: ControlKind, id: String) -> ControlOutcome {
        calls.withLock { $0.append(Call(method: "DELETE", kind: kind, id: id, body: "")) }
        return answer.withLock { $0 }
    }
}

@Suite(.serialized)
struct AdminAPITests {
    static let admin = "admin-token-0123456789abcdef"
    static let reader = "read-token-0123456789abcdef"

    private func request(
        _ method: String,
        _ path: String,
        body: String = "",
        token: String? = nil,
        port: UInt16
    ) throws -> (status: Int, text: String) {
        var head =
            "\(method) \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        let text = try Client.http(head + "\r\n" + body, port: port)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, text)
    }

    private func withServer(
        _ plane: RecordingControlPlane,
        tokens: Bool = true,
        _ body: (TestServer) throws -> Void
    ) throws {
        let server = try TestServer(controlPlane: plane) { config in
            if tokens {
                config.adminToken = Self.admin
                config.readToken = Self.reader
            }
        }
        defer { server.stop() }
        try body(server)
    }

    @Test func putAndDeleteReachTheControlPlaneWithTheDecodedID() throws {
        let plane = RecordingControlPlane()
        try withServer(plane) { server in
            let port = server.server.httpPort
            let put = try request(
                "PUT",
                "/fences/depot%20north",
                body: #"{"type":"Feature"}"#,
                token: Self.admin,
                port: port
            )
            #expect(put.status == 201)
            #expect(put.text.hasSuffix(#"{"id":"depot north","status":"created"}"#))
            plane.answer(with: .stored(created: false))
            let replace = try request("PUT", "/trips/T1", body: "{}", token: Self.admin, port: port)
            #expect(replace.status == 200)
            #expect(replace.text.hasSuffix(#"{"id":"T1","status":"replaced"}"#))
            plane.answer(with: .deleted)
            let delete = try request("DELETE", "/trips/T1", token: Self.admin, port: port)
            #expect(delete.status == 200)
            #expect(delete.text.hasSuffix(#"{"id":"T1","status":"deleted"}"#))
            #expect(
                plane.recorded == [
                    .init(method: "PUT", kind: .fence, id: "depot north", body: #"{"type":"Feature"}"#),
                    .init(method: "PUT", kind: .trip, id: "T1", body: "{}"),
                    .init(method: "DELETE", kind: .trip, id: "T1", body: ""),
                ]
            )
        }
    }

    @Test func missingOrWrongTokensAre401AndTheReadToken403() throws {
        let plane = RecordingControlPlane()
        try withServer(plane) { server in
            let port = server.server.httpPort
            let none = try request("PUT", "/fences/a", body: "{}", port: port)
            #expect(none.status == 401)
            #expect(none.text.contains("WWW-Authenticate: Bearer"))
            #expect(none.text.contains(#""reason":"token_required""#))
            #expect(try request("PUT", "/fences/a", body: "{}", token: Self.admin + "x", port: port).status == 401)
            #expect(
                try request("PUT", "/fences/a", body: "{}", token: String(Self.admin.dropLast()), port: port).status
                    == 401
            )
            let read = try request("DELETE", "/fences/a", token: Self.reader, port: port)
            #expect(read.status == 403)
            #expect(read.text.contains(#""reason":"admin_token_required""#))
            #expect(plane.recorded.isEmpty)
            // Health and metrics stay open (no secrets; probes and scrapers have no token).
            #expect(try request("GET", "/healthz", port: port).status == 200)
        }
    }

    @Test func refusalsCarryTheControlPlanesReasonAndDetail() throws {
        let plane = RecordingControlPlane(
            answer: .invalid(reason: "invalid_geometry", detail: #"feature "a": ring 0 is not closed"#)
        )
        try withServer(plane) { server in
            let port = server.server.httpPort
            let invalid = try request("PUT", "/fences/a", body: "{}", token: Self.admin, port: port)
            #expect(invalid.status == 400)
            #expect(
                invalid.text.hasSuffix(
                    #"{"error":"Bad Request","reason":"invalid_geometry","detail":"feature \"a\": ring 0 is not closed"}"#
                )
            )
            plane.answer(with: .notFound)
            let missing = try request("DELETE", "/fences/zz", token: Self.admin, port: port)
            #expect(missing.status == 404)
            #expect(missing.text.contains(#""reason":"no_such_fence""#))
            plane.answer(with: .conflict(reason: "fences_from_file", detail: "from a file"))
            #expect(try request("DELETE", "/fences/zz", token: Self.admin, port: port).status == 409)
            plane.answer(with: .failed(detail: "disk full"))
            #expect(try request("DELETE", "/fences/zz", token: Self.admin, port: port).status == 500)
        }
    }

    @Test func badIDsAndMethodsAreRefusedBeforeTheControlPlane() throws {
        let plane = RecordingControlPlane()
        try withServer(plane) { server in
            let port = server.server.httpPort
            #expect(try request("PUT", "/fences/", body: "{}", token: Self.admin, port: port).status == 400)
            #expect(try request("PUT", "/fences/a%2", body: "{}", token: Self.admin, port: port).status == 400)
            #expect(try request("PUT", "/fences/a%00b", body: "{}", token: Self.admin, port: port).status == 400)
            #expect(try request("PUT", "/fences/%FF", body: "{}", token: Self.admin, port: port).status == 400)
            let post = try request("POST", "/fences/a", body: "{}", token: Self.admin, port: port)
            #expect(post.status == 405)
            #expect(post.text.contains("Allow: PUT, DELETE"))
            #expect(plane.recorded.isEmpty)
        }
    }

    @Test func documentsLargerThanTheOsmAndLimitAreAcceptedUpToTheAPILimit() throws {
        let plane = RecordingControlPlane()
        let server = try TestServer(controlPlane: plane) { config in
            config.limits.maxHTTPRequest = 4096
            config.limits.maxAPIBody = 200_000
        }
        defer { server.stop() }
        let port = server.server.httpPort
        let big = String(repeating: "x", count: 150_000)
        #expect(try request("PUT", "/fences/big", body: big, port: port).status == 201)
        #expect(plane.recorded.first?.body.utf8.count == 150_000)
        let tooBig = String(repeating: "x", count: 250_000)
        #expect(try request("PUT", "/fences/big", body: tooBig, port: port).status == 413)
    }

    /// Review findings: only an authorized upload may send a large body (else 413 before the body is read), and
    /// `HEAD` on a control path gets headers only.
    @Test func largeBodiesNeedTheAdminTokenAndHeadHasNoBody() throws {
        let plane = RecordingControlPlane()
        let server = try TestServer(controlPlane: plane) { config in
            config.limits.maxHTTPRequest = 4096
            config.adminToken = Self.admin
            config.readToken = Self.reader
        }
        defer { server.stop() }
        let port = server.server.httpPort
        // The head alone announces a megabyte: refused at once, nothing of the body needed.
        let head = "PUT /fences/big HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"
        #expect(try Client.http(head, port: port).hasPrefix("HTTP/1.1 413"))
        let withReadToken =
            "PUT /fences/big HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(Self.reader)\r\nContent-Length: 1000000\r\n\r\n"
        #expect(try Client.http(withReadToken, port: port).hasPrefix("HTTP/1.1 413"))
        let big = String(repeating: "x", count: 100_000)
        #expect(try request("PUT", "/fences/big", body: big, token: Self.admin, port: port).status == 201)
        let answer = try Client.http("HEAD /fences/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", port: port)
        #expect(answer.hasPrefix("HTTP/1.1 405"))
        #expect(answer.hasSuffix("\r\n\r\n"))
    }

    /// curl sends `Expect: 100-continue` for uploads over 1 KiB and waits a second unless told to go on.
    @Test func expectContinueIsAnsweredOnceTheHeadIsAccepted() throws {
        let plane = RecordingControlPlane()
        let server = try TestServer(controlPlane: plane)
        defer { server.stop() }
        let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: server.server.httpPort))
        defer { Socket.close(fd) }
        let body = String(repeating: "y", count: 2000)
        try Client.writeAll(
            fd,
            Array("PUT /fences/a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2000\r\n\r\n".utf8)
        )
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        var count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        #expect(String(decoding: buffer[0 ..< max(0, count)], as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
        try Client.writeAll(fd, Array(body.utf8))
        count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        #expect(String(decoding: buffer[0 ..< max(0, count)], as: UTF8.self).hasPrefix("HTTP/1.1 201 Created"))
        #expect(plane.recorded.first?.body.count == 2000)
    }

    @Test func anOpenAPIAnswersWithoutTokensAndResponsesAreCounted() throws {
        let plane = RecordingControlPlane()
        try withServer(plane, tokens: false) { server in
            let port = server.server.httpPort
            let put = try request("PUT", "/trips/T9", body: "{}", port: port)
            #expect(put.status == 201)
            #expect(server.eventually { server.snapshot.http.apiResponses[201] == 1 })
            #expect(server.server.metricsText().contains(#"fixstream_api_responses_total{code="201"} 1"#))
        }
    }

    @Test func withoutAControlPlaneTheControlPathsDoNotExist() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try request("PUT", "/fences/a", body: "{}", port: server.server.httpPort).status == 405)
        #expect(try request("GET", "/fences/a", port: server.server.httpPort).status == 404)
    }

    @Test func anAPIBeyondLoopbackNeedsTokens() throws {
        #expect(throws: ServerError.self) {
            _ = try TestServer { config in config.httpListen = "0.0.0.0" }
        }
        let open = try TestServer { config in
            config.httpListen = "0.0.0.0"
            config.adminToken = Self.admin
        }
        #expect(open.server.listeningLine.hasSuffix("http=0.0.0.0:\(open.server.httpPort)"))
        open.stop()
    }

    @Test func tokensAreRecognisedOnlyAsBearerCredentials() {
        func token(_ header: String) -> String? {
            Array(header.utf8).withUnsafeBytes { bytes in
                APIAccess.bearerToken(bytes).map { String(decoding: $0, as: UTF8.self) }
            }
        }
        #expect(token("Bearer abc") == "abc")
        #expect(token("bearer   abc  ") == "abc")
        #expect(token("BEARER abc") == "abc")
        #expect(token("Basic abc") == nil)
        #expect(token("Bearer ") == nil)
        #expect(token("Bearerabc") == nil)
    }
}
