import FixstreamHTTP

/// Who may do what on the API port, from the `Authorization: Bearer <token>` header.
///
/// With no token configured the API is open (the server then listens for it on loopback only; see
/// ``ServerConfig/apiHost``). With tokens, a request needs one: the read token grants reads, the admin token reads
/// and writes. No token or an unknown one is 401; the read token on a write is 403. Tokens are compared in
/// constant time (the time depends on the configured tokens' lengths only, not on how much of one matched), and
/// both are always compared, so the answer's timing does not tell which one nearly matched.
struct APIAccess {
    /// What a request needs.
    enum Right {
        case read
        case admin
    }

    enum Decision: Equatable {
        case allowed
        /// No token, an unknown one or a malformed header: 401.
        case unauthorized
        /// A valid token without the right: 403.
        case forbidden
    }

    private let readToken: [UInt8]?
    private let adminToken: [UInt8]?

    init(readToken: String?, adminToken: String?) {
        self.readToken = readToken.map { Array($0.utf8) }
        self.adminToken = adminToken.map { Array($0.utf8) }
    }

    /// Whether no token is configured (an open API).
    var isOpen: Bool { readToken == nil && adminToken == nil }

    /// The decision for a request with `authorization` (the header's value, if sent) that needs `right`.
    func decide(_ authorization: UnsafeRawBufferPointer?, needs right: Right) -> Decision {
        if isOpen { return .allowed }
        guard let authorization, let token = Self.bearerToken(authorization) else { return .unauthorized }
        let isAdmin = adminToken.map { Self.constantTimeEqual(token, $0) } ?? false
        let isRead = readToken.map { Self.constantTimeEqual(token, $0) } ?? false
        if isAdmin { return .allowed }
        guard isRead else { return .unauthorized }
        return right == .read ? .allowed : .forbidden
    }

    /// Why a request is refused, as every API route answers it.
    struct Refusal {
        let error: HTTPError
        let headers: KeyValuePairs<String, String>
    }

    /// nil when a request with `authorization` may do what needs `right`; otherwise the answer: 401 with a Bearer
    /// challenge (no or unknown token), 403 (the read token where the admin token is needed).
    func refusal(_ authorization: UnsafeRawBufferPointer?, needs right: Right) -> Refusal? {
        switch decide(authorization, needs: right) {
        case .allowed:
            return nil
        case .unauthorized:
            let token = right == .admin ? "the admin token" : "the read or admin token"
            return Refusal(
                error: HTTPError(
                    .unauthorized,
                    reason: "token_required",
                    detail: "send \(token) as 'Authorization: Bearer <token>'"
                ),
                headers: ["WWW-Authenticate": #"Bearer realm="fixstream""#]
            )
        case .forbidden:
            return Refusal(
                error: HTTPError(.forbidden, reason: "admin_token_required", detail: "this needs the admin token"),
                headers: [:]
            )
        }
    }

    /// The token of `Bearer <token>` (scheme case-insensitive, spaces around the token ignored), or nil.
    static func bearerToken(_ value: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let scheme = "bearer "
        guard value.count > scheme.utf8.count else { return nil }
        for (index, letter) in scheme.utf8.enumerated() where value[index] | 0x20 != letter { return nil }
        var start = scheme.utf8.count
        var end = value.count
        while start < end && value[start] == UInt8(ascii: " ") { start += 1 }
        while end > start && (value[end - 1] == UInt8(ascii: " ") || value[end - 1] == UInt8(ascii: "\t")) {
            end -= 1
        }
        return start < end ? UnsafeRawBufferPointer(rebasing: value[start ..< end]) : nil
    }

    /// Equality whose time depends on `secret.count` only.
    static func constantTimeEqual(_ given: UnsafeRawBufferPointer, _ secret: [UInt8]) -> Bool {
        var difference = given.count ^ secret.count
        for index in secret.indices {
            let byte = index < given.count ? given[index] : 0
            difference |= Int(byte ^ secret[index])
        }
        return difference == 0
    }
}
