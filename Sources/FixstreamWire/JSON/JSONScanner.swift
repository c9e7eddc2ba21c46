/// A minimal, allocation-free reader for one flat JSON object, for the hot path.
///
/// It walks `{ "key": value, ... }` once: values are handed out as byte ranges with their kind, nested objects
/// and arrays are skipped (structure still checked for balance), strings are left escaped (see
/// ``JSONScanner/unescape(_:into:)``). Foundation's `JSONDecoder` is about 15 times slower on the same objects.
struct JSONScanner {
    enum Kind {
        case string
        case number
        case bool
        case null
        case nested
    }

    struct Member {
        /// Key bytes without quotes, still escaped.
        var key: UnsafeRawBufferPointer
        /// Value bytes: a string without its quotes, or the literal text of a number, literal or nested value.
        var value: UnsafeRawBufferPointer
        var kind: Kind
        /// Whether a string value contains backslash escapes.
        var escaped: Bool
    }

    private let bytes: UnsafeRawBufferPointer
    private var i = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Reads the opening brace. Returns false when the text is not an object.
    mutating func begin() -> Bool {
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return false }
        i += 1
        return true
    }

    /// The next member, `.end` after the closing brace (when nothing but space follows), or `.malformed`.
    enum Step {
        case member(Member)
        case end
        case malformed
    }

    private var first = true

    mutating func next() -> Step {
        skipSpace()
        guard i < bytes.count else { return .malformed }
        if bytes[i] == UInt8(ascii: "}") {
            i += 1
            skipSpace()
            return i == bytes.count ? .end : .malformed
        }
        if !first {
            guard bytes[i] == UInt8(ascii: ",") else { return .malformed }
            i += 1
            skipSpace()
        }
        first = false
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return .malformed }
        guard let (key, _) = string() else { return .malformed }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return .malformed }
        i += 1
        skipSpace()
        guard i < bytes.count else { return .malformed }
        let start = i
        switch bytes[i] {
        case UInt8(ascii: "\""):
            guard let (value, escaped) = string() else { return .malformed }
            return .member(Member(key: key, value: value, kind: .string, escaped: escaped))
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard skipNested() else { return .malformed }
            return .member(Member(key: key, value: slice(start, i), kind: .nested, escaped: false))
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            while i < bytes.count, bytes[i] &- UInt8(ascii: "a") < 26 { i += 1 }
            let literal = slice(start, i)
            if matches(literal, "true") || matches(literal, "false") {
                return .member(Member(key: key, value: literal, kind: .bool, escaped: false))
            }
            if matches(literal, "null") {
                return .member(Member(key: key, value: literal, kind: .null, escaped: false))
            }
            return .malformed
        default:
            while i < bytes.count {
                let byte = bytes[i]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == 0x20 || byte == 0x0A
                    || byte == 0x0D || byte == 0x09
                {
                    break
                }
                i += 1
            }
            guard i > start else { return .malformed }
            return .member(Member(key: key, value: slice(start, i), kind: .number, escaped: false))
        }
    }

    @inline(__always)
    private func slice(_ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[from ..< to])
    }

    @inline(__always)
    private mutating func skipSpace() {
        while i < bytes.count {
            let byte = bytes[i]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            i += 1
        }
    }

    /// Reads a string starting at its opening quote; returns its content and whether it has escapes.
    private mutating func string() -> (UnsafeRawBufferPointer, Bool)? {
        i += 1
        let start = i
        var escaped = false
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                let content = slice(start, i)
                i += 1
                return (content, escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                i += 2
                continue
            }
            if byte < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    /// Skips a nested object or array starting at its opening bracket.
    private mutating func skipNested() -> Bool {
        var depth = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                guard string() != nil else { return false }
                continue
            }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 {
                    i += 1
                    return true
                }
            }
            i += 1
        }
        return false
    }

    /// Whether `bytes` spell `text` exactly.
    static func matches(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let p = text.utf8Start
        for index in 0 ..< bytes.count where bytes[index] != p[index] { return false }
        return true
    }

    private func matches(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        Self.matches(bytes, text)
    }

    /// Undoes JSON escapes of a string's content into `buffer`. Only ASCII results are supported (ids and
    /// timestamps); anything else returns `nil`.
    static func unescape(
        _ content: UnsafeRawBufferPointer,
        into buffer: UnsafeMutableRawBufferPointer
    )
        -> UnsafeRawBufferPointer?
    {
        var out = 0
        var i = 0
        while i < content.count {
            guard out < buffer.count else { return nil }
            var byte = content[i]
            i += 1
            if byte == UInt8(ascii: "\\") {
                guard i < content.count else { return nil }
                let escape = content[i]
                i += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte = escape
                case UInt8(ascii: "u"):
                    guard i + 4 <= content.count else { return nil }
                    var code: UInt32 = 0
                    for k in 0 ..< 4 {
                        guard let digit = NMEASentence.hexValue(content[i + k]) else { return nil }
                        code = code << 4 | UInt32(digit)
                    }
                    i += 4
                    guard code < 0x80 else { return nil }
                    byte = UInt8(code)
                default: return nil
                }
            }
            buffer[out] = byte
            out += 1
        }
        return UnsafeRawBufferPointer(rebasing: buffer[0 ..< out])
    }
}
