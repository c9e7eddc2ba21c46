/// An error the command line reports as one line on stderr, with an exit status.
public struct CLIError: Error, CustomStringConvertible {
    /// What kind of failure: decides the exit status.
    public struct Code: Hashable, Sendable {
        let exitStatus: Int32
        /// Bad flags or arguments (exit 2, as getopt tools do).
        public static let usage = Code(exitStatus: 2)
        /// A file that cannot be opened or read (exit 1).
        public static let io = Code(exitStatus: 1)
    }

    /// The kind of failure.
    public var code: Code
    /// The message, without the program name.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
