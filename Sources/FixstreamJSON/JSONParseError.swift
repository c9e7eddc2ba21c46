/// Why and where a JSON text was refused.
///
/// `code` is a stable, extensible identifier for programs; `message` is for people. `offset` counts bytes from
/// the start of the input; `line` and `column` are 1-based, the column counting bytes.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The identifier, snake_case.
        public let rawValue: String

        /// Creates a code.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The identifier.
        public var description: String { rawValue }

        /// The input ended inside a value (or was empty).
        public static let unexpectedEnd = Code("unexpected_end")
        /// A byte that cannot start or continue the value here.
        public static let unexpectedCharacter = Code("unexpected_character")
        /// A number that does not follow the JSON grammar (leading zero, missing digits, ...).
        public static let invalidNumber = Code("invalid_number")
        /// A malformed escape sequence, or an escaped lone surrogate.
        public static let invalidEscape = Code("invalid_escape")
        /// A control character (below U+0020) inside a string.
        public static let controlCharacterInString = Code("control_character_in_string")
        /// Bytes that are not well-formed UTF-8.
        public static let invalidUTF8 = Code("invalid_utf8")
        /// Arrays and objects nested deeper than the limit.
        public static let tooDeep = Code("too_deep")
        /// Something other than whitespace after the value.
        public static let trailingCharacters = Code("trailing_characters")
    }

    /// The kind of problem.
    public var code: Code
    /// What went wrong, for people.
    public var message: String
    /// Byte offset of the problem from the start of the input.
    public var offset: Int
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column of the problem, in bytes.
    public var column: Int

    /// Creates an error.
    public init(_ code: Code, _ message: String, offset: Int, line: Int, column: Int) {
        self.code = code
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// `<message> at line L, column C (byte O)`.
    public var description: String { "\(message) at line \(line), column \(column) (byte \(offset))" }
}
