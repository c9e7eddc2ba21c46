/// A simulation that cannot be made: the options or the map do not allow it.
public struct SimulationError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem.
    public struct Code: Hashable, Sendable {
        let name: String
        /// An option out of range.
        public static let invalidOption = Code(name: "invalid_option")
        /// The map has no room for a depot or customers, or they cannot reach each other.
        public static let unsuitableMap = Code(name: "unsuitable_map")
    }

    /// The kind of problem.
    public var code: Code
    /// What is wrong.
    public var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
