/// The HTTP versions the parser accepts. Other `HTTP/x.y` versions are answered with 505.
public enum HTTPVersion: UInt8, Sendable, CaseIterable {
    /// HTTP/1.0: connections close after each response unless the client asks for `Connection: keep-alive`.
    case http1_0
    /// HTTP/1.1: connections stay open unless either side says `Connection: close`.
    case http1_1

    /// The version as written on the wire, e.g. `HTTP/1.1`.
    public var name: String {
        switch self {
        case .http1_0: "HTTP/1.0"
        case .http1_1: "HTTP/1.1"
        }
    }
}
