import FixstreamDeliver
import FixstreamHTTP
import FixstreamPipeline
import FixstreamWire

/// The webhooks' dead letters on the API port, with the admin token: `GET /dead-letters?endpoint=&after=&limit=`
/// lists them (without their bodies), `POST /dead-letters/{id}/replay` asks the dispatcher to post one again
/// (within half a second; it is deleted once delivered), `DELETE /dead-letters/{id}` drops one.
struct DeadLetterRoutes {
    let access: APIAccess
    let deadLetters: DeadLetters

    /// Whether `path` belongs to these routes.
    static func matches(_ path: UnsafeRawBufferPointer) -> Bool {
        path.elementsEqual("/dead-letters".utf8) || path.starts(with: "/dead-letters/".utf8)
    }

    /// Answers one request; returns the status sent.
    func respond(
        _ request: HTTPRequest,
        path: UnsafeRawBufferPointer,
        buffer: UnsafeRawBufferPointer,
        output: inout [UInt8]
    ) -> HTTPStatus {
        let keepAlive = request.keepAlive
        func fail(_ error: HTTPError, headers: KeyValuePairs<String, String> = [:]) -> HTTPStatus {
            error.appendResponse(
                to: &output,
                keepAlive: keepAlive,
                headers: headers,
                includeBody: request.method != .head
            )
            return error.status
        }
        if let refusal = access.refusal(request.bytes(request.authorization, in: buffer), needs: .admin) {
            return fail(refusal.error, headers: refusal.headers)
        }
        let text = String(decoding: path, as: UTF8.self)
        let parts = text.split(separator: "/", omittingEmptySubsequences: true)
        do {
            switch (request.method, parts.count) {
            case (.get, 1):
                return try list(request, buffer, keepAlive, &output)
            case (.post, 3) where parts[2] == "replay":
                guard let id = Int64(parts[1]) else { return fail(HTTPError(.notFound, reason: "no_such_dead_letter")) }
                guard try deadLetters.requestReplay(id: id) else {
                    return fail(HTTPError(.notFound, reason: "no_such_dead_letter"))
                }
                return answer(.ok, #"{"id":\#(id),"status":"replay_requested"}"#, keepAlive, &output)
            case (.delete, 2):
                guard let id = Int64(parts[1]), try deadLetters.delete(id: id) else {
                    return fail(HTTPError(.notFound, reason: "no_such_dead_letter"))
                }
                return answer(.ok, #"{"id":\#(id),"status":"deleted"}"#, keepAlive, &output)
            default:
                return fail(
                    HTTPError(.methodNotAllowed, reason: "use_get_post_replay_or_delete"),
                    headers: ["Allow": parts.count == 1 ? "GET" : parts.count == 3 ? "POST" : "DELETE"]
                )
            }
        } catch {
            return fail(HTTPError(.internalServerError, reason: "store_failed", detail: "\(error)"))
        }
    }

    private func list(
        _ request: HTTPRequest,
        _ buffer: UnsafeRawBufferPointer,
        _ keepAlive: Bool,
        _ output: inout [UInt8]
    ) throws -> HTTPStatus {
        let values: [String: String]
        switch QueryParameters.parse(request.bytes(request.query, in: buffer), allowed: ["endpoint", "after", "limit"])
        {
        case .success(let parsed): values = parsed
        case .failure(let error):
            error.appendResponse(to: &output, keepAlive: keepAlive)
            return error.status
        }
        let after = values["after"].map { Int64($0) } ?? 0
        let limit = values["limit"].map { Int($0) } ?? 100
        guard let after, after >= 0, let limit, (1 ... 1000).contains(limit) else {
            let error = QueryParameters.invalid("after must be a dead letter id, limit 1 to 1000")
            error.appendResponse(to: &output, keepAlive: keepAlive)
            return error.status
        }
        let endpoint = values["endpoint"]
        let letters = try deadLetters.list(endpoint: endpoint, after: after, limit: limit)
        var body = Array(#"{"dead_letters":["#.utf8)
        for (index, letter) in letters.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: #"{"id":\#(letter.id)"#.utf8)
            var json = JSONMembers(into: body)
            json.string("endpoint", letter.endpoint)
            json.number("first_alert", Double(letter.firstAlert))
            json.number("last_alert", Double(letter.lastAlert))
            json.number("alerts", Double(letter.alerts))
            json.number("attempts", Double(letter.attempts))
            json.string("last_error", letter.lastError)
            json.time("failed_at", Timestamp(millisecondsSinceEpoch: letter.failedAt))
            json.bool("replay_requested", letter.replayRequested)
            body = json.bytes
            body.append(UInt8(ascii: "}"))
        }
        body.append(UInt8(ascii: "]"))
        if letters.count == limit, let last = letters.last { body.append(contentsOf: #","next":\#(last.id)"#.utf8) }
        body.append(UInt8(ascii: "}"))
        return answer(.ok, String(decoding: body, as: UTF8.self), keepAlive, &output)
    }

    private func answer(_ status: HTTPStatus, _ body: String, _ keepAlive: Bool, _ output: inout [UInt8]) -> HTTPStatus
    {
        HTTPResponseWriter.appendResponse(
            status: status,
            contentType: "application/json",
            body: body.utf8,
            keepAlive: keepAlive,
            to: &output
        )
        return status
    }
}
