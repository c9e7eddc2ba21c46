/// A server failure worth one clear line to the operator (a port in use, an unwritable file).
public struct ServerError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, for humans.
    public var message: String

    /// Creates an error with a message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
