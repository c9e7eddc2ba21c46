import FixstreamHTTP

/// The admin API's routes: `PUT` and `DELETE` on `/fences/{id}` and `/trips/{id}`.
///
/// The id is the path segment after the prefix, percent-decoded (`/fences/depot%20north` is `depot north`). A
/// `PUT` stores its body under that id (the document must carry the same id), `201` when new, `200` when it
/// replaced one; a `DELETE` answers `200`, or `404` when there was none. Refusals are JSON errors whose `reason`
/// is a stable code and whose `detail` says exactly what is wrong.
struct ControlRoutes {
    private static let prefixes: [(ControlKind, [UInt8])] = ControlKind.allCases.map { kind in
        (kind, Array("/\(kind.noun)s/".utf8))
    }

    let access: APIAccess
    let controlPlane: any ControlPlane

    /// The kind and raw id segment when `path` is a control path.
    static func match(_ path: UnsafeRawBufferPointer) -> (ControlKind, UnsafeRawBufferPointer)? {
        for (kind, prefix) in prefixes where path.count >= prefix.count && path.starts(with: prefix) {
            return (kind, UnsafeRawBufferPointer(rebasing: path[prefix.count...]))
        }
        return nil
    }

    /// Answers one request on a control path; returns the status sent.
    ///
    /// - Parameters:
    ///   - body: calls its argument with the request body (only for a `PUT` that passed authorization).
    func respond(
        _ kind: ControlKind,
        idSegment: UnsafeRawBufferPointer,
        request: HTTPRequest,
        authorization: UnsafeRawBufferPointer?,
        body: () -> [UInt8],
        output: inout [UInt8]
    ) -> HTTPStatus {
        let keepAlive = request.keepAlive
        guard request.method == .put || request.method == .delete else {
            return fail(
                HTTPError(.methodNotAllowed, reason: "use_put_or_delete"),
                headers: ["Allow": "PUT, DELETE"],
                includeBody: request.method != .head,
                keepAlive,
                &output
            )
        }
        if let refusal = access.refusal(authorization, needs: .admin) {
            return fail(refusal.error, headers: refusal.headers, keepAlive, &output)
        }
        guard let id = PathSegment.decode(idSegment) else {
            return fail(
                HTTPError(
                    .badRequest,
                    reason: "invalid_id",
                    detail: "the \(kind.noun) id in the path is empty, badly percent-encoded or not UTF-8 text"
                ),
                keepAlive,
                &output
            )
        }
        let outcome =
            request.method == .put
            ? controlPlane.put(kind, id: id, body: body())
            : controlPlane.delete(kind, id: id)
        switch outcome {
        case .stored(let created):
            return succeed(
                created ? .created : .ok,
                id: id,
                status: created ? "created" : "replaced",
                keepAlive,
                &output
            )
        case .deleted:
            return succeed(.ok, id: id, status: "deleted", keepAlive, &output)
        case .notFound:
            let detail = "there is no \(kind.noun) with id \"\(id)\""
            return fail(HTTPError(.notFound, reason: "no_such_\(kind.noun)", detail: detail), keepAlive, &output)
        case .invalid(let reason, let detail):
            return fail(HTTPError(.badRequest, reason: reason, detail: detail), keepAlive, &output)
        case .conflict(let reason, let detail):
            return fail(HTTPError(.conflict, reason: reason, detail: detail), keepAlive, &output)
        case .failed(let detail):
            return fail(HTTPError(.internalServerError, reason: "store_failed", detail: detail), keepAlive, &output)
        }
    }

    private func succeed(
        _ status: HTTPStatus,
        id: String,
        status word: String,
        _ keepAlive: Bool,
        _ output: inout [UInt8]
    ) -> HTTPStatus {
        var body = Array(#"{"id":""#.utf8)
        HTTPResponseWriter.appendJSONEscaped(id, to: &body)
        body.append(contentsOf: #"","status":""#.utf8)
        body.append(contentsOf: word.utf8)
        body.append(contentsOf: #""}"#.utf8)
        HTTPResponseWriter.appendResponse(
            status: status,
            contentType: "application/json",
            body: body,
            keepAlive: keepAlive,
            to: &output
        )
        return status
    }

    /// An error response (headers only when `includeBody` is false: the answer to `HEAD`).
    private func fail(
        _ error: HTTPError,
        headers: KeyValuePairs<String, String> = [:],
        includeBody: Bool = true,
        _ keepAlive: Bool,
        _ output: inout [UInt8]
    ) -> HTTPStatus {
        error.appendResponse(to: &output, keepAlive: keepAlive, headers: headers, includeBody: includeBody)
        return error.status
    }
}
