/// A request method the parser accepts. Any other well-formed method is answered with 501.
public enum HTTPMethod: UInt8, Sendable, CaseIterable {
    /// `GET`.
    case get
    /// `HEAD`: like `GET`, but the response carries no body.
    case head
    /// `POST`.
    case post
    /// `PUT`.
    case put
    /// `DELETE`.
    case delete
    /// `OPTIONS`.
    case options

    /// The method as it is written on the wire (upper case).
    public var name: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        }
    }

    /// The method spelled by `bytes` (case-sensitive, as RFC 9110 requires), or `nil`.
    public init?(bytes: UnsafeRawBufferPointer) {
        switch bytes.count {
        case 3 where Self.equal(bytes, "GET"): self = .get
        case 3 where Self.equal(bytes, "PUT"): self = .put
        case 4 where Self.equal(bytes, "POST"): self = .post
        case 4 where Self.equal(bytes, "HEAD"): self = .head
        case 6 where Self.equal(bytes, "DELETE"): self = .delete
        case 7 where Self.equal(bytes, "OPTIONS"): self = .options
        default: return nil
        }
    }

    private static func equal(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        let p = text.utf8Start
        for index in 0 ..< bytes.count where bytes[index] != p[index] { return false }
        return true
    }
}
