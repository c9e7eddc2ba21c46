/// Why a road graph file could not be written or read.
public struct RoadGraphError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// The file could not be opened, read, mapped or written (the message has the system error).
        public static let io = Code(name: "io")
        /// The file is not a Fixstream road graph (wrong magic or byte order).
        public static let notAGraph = Code(name: "not-a-graph")
        /// A road graph of a format version this build does not read.
        public static let unsupportedVersion = Code(name: "unsupported-version")
        /// The file is truncated or its contents contradict each other.
        public static let corrupt = Code(name: "corrupt")

        /// The code's name.
        public var description: String { name }
    }

    /// What kind of failure.
    public let code: Code
    /// A one-line explanation naming the file.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
