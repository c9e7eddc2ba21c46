/// A JSON document value as parsed by ``JSONValue/parse(_:maximumDepth:)``.
///
/// Objects keep their members in document order, duplicates included (RFC 8259 leaves duplicate names to the
/// application); ``subscript(_:)-(String)`` answers with the first member of a name. Numbers are `Double`, so
/// integers beyond 2^53 lose precision.
public enum JSONValue: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, rounded to the nearest `Double`.
    case number(Double)
    /// A string, escapes decoded.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object: its members in document order.
    case object([(key: String, value: JSONValue)])
}

extension JSONValue {
    /// Parses one RFC 8259 JSON text: a single value, optionally surrounded by whitespace, nothing else.
    ///
    /// Strict: no comments, no trailing commas, no leading zeros, no bare control characters in strings, no lone
    /// surrogate escapes, UTF-8 only (a leading byte order mark is refused too).
    ///
    /// - Parameters:
    ///   - bytes: the UTF-8 text.
    ///   - maximumDepth: the deepest nesting of arrays and objects accepted (the document itself is level 1).
    /// - Returns: the value.
    /// - Throws: ``JSONParseError`` with the byte offset (and line and column) of the first problem.
    /// - Complexity: O(n) in the length of `bytes`.
    public static func parse(
        _ bytes: some Collection<UInt8>,
        maximumDepth: Int = 512
    ) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            parseResult(UnsafeRawBufferPointer(buffer), maximumDepth: maximumDepth)
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBytes { parseResult($0, maximumDepth: maximumDepth) }.get()
    }

    /// Parses one RFC 8259 JSON text from raw memory; see ``parse(_:maximumDepth:)``.
    ///
    /// - Parameters:
    ///   - bytes: the UTF-8 text; only read during the call.
    ///   - maximumDepth: the deepest nesting of arrays and objects accepted.
    /// - Returns: the value.
    /// - Throws: ``JSONParseError`` with the byte offset of the first problem.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer,
        maximumDepth: Int = 512
    ) throws(JSONParseError) -> JSONValue {
        try parseResult(bytes, maximumDepth: maximumDepth).get()
    }

    private static func parseResult(
        _ bytes: UnsafeRawBufferPointer,
        maximumDepth: Int
    ) -> Result<JSONValue, JSONParseError> {
        var parser = JSONParser(bytes: bytes, maximumDepth: maximumDepth)
        do throws(JSONParseError) {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }
}
