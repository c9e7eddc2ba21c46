/// The one-pass reader behind ``JSONFixDecoder/decodeObject(in:at:limit:into:stats:)``: reads a JSON object
/// straight from a chunk, finding its members and its end in the same walk, so the object is not first framed by
/// ``RecordFramer`` and then read again by ``JSONScanner``.
///
/// It accepts only plain objects, chosen so that for each one ``RecordFramer`` would end the record at the same
/// closing brace and ``JSONScanner`` would read the same members from it: strings may hold anything but control
/// bytes, values are strings, nested objects or arrays without line breaks outside their strings, `true`,
/// `false`, `null`, and numbers made of digits and `+-.eE`. On anything else it gives up and returns `nil`: an
/// object that is malformed, not closed before the limit, has a control byte in a string (a raw line break is a
/// framing error), a number-like value with other bytes (`JSONScanner` takes any run up to `,`, `}` or space, but a
/// quote or bracket in it changes the framing, and so does a `$` or `!` opening a line), or a line break outside
/// strings inside a nested value (the next line might open with `$`). The framed path then decides.
struct JSONFastScanner {
    private let base: UnsafeRawPointer
    /// Bytes readable from `base` (the whole chunk): loads of a key's 8 bytes may look past `limit`.
    private let count: Int
    private let limit: Int
    private var i: Int

    /// A scanner for the object whose `{` is at `chunk[start]`, which must end before `limit`.
    init(_ chunk: UnsafeRawBufferPointer, start: Int, limit: Int) {
        base = chunk.baseAddress!
        count = chunk.count
        self.limit = limit
        i = start
    }

    /// Reads the object, filing its members in `fields`. Returns the offset just past its closing brace, or `nil`
    /// when the object is not plain.
    mutating func scanObject(into fields: inout JSONFields) -> Int? {
        i += 1
        skipSpace()
        guard i < limit else { return nil }
        if byte(i) == UInt8(ascii: "}") { return i + 1 }
        while true {
            guard byte(i) == UInt8(ascii: "\"") else { return nil }
            let keyStart = i + 1
            guard let (key, _) = string() else { return nil }
            let packed = pack(keyStart, key.count)
            skipSpace()
            guard i < limit, byte(i) == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            guard i < limit, value(key, packed, into: &fields) else { return nil }
            skipSpace()
            guard i < limit else { return nil }
            let next = byte(i)
            if next == UInt8(ascii: "}") { return i + 1 }
            guard next == UInt8(ascii: ",") else { return nil }
            i += 1
            skipSpace()
            guard i < limit else { return nil }
        }
    }

    /// Reads the value at `i` (not at the limit) of the member named `key` (`packed` by ``pack(_:_:)``) and files
    /// it in `fields`; false when the value is not plain.
    @inline(__always)
    private mutating func value(
        _ key: UnsafeRawBufferPointer,
        _ packed: UInt64,
        into fields: inout JSONFields
    ) -> Bool {
        guard let member = member(key) else { return false }
        fields.assign(member, key: packed)
        return true
    }

    /// The member named `key` whose value is at `i`, or `nil` when the value is not plain.
    @inline(__always)
    private mutating func member(_ key: UnsafeRawBufferPointer) -> JSONScanner.Member? {
        let start = i
        switch byte(i) {
        case UInt8(ascii: "\""):
            guard let (value, escaped) = string() else { return nil }
            return JSONScanner.Member(key: key, value: value, kind: .string, escaped: escaped)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard skipNested() else { return nil }
            return JSONScanner.Member(key: key, value: slice(start, i), kind: .nested, escaped: false)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            while i < limit, byte(i) &- UInt8(ascii: "a") < 26 { i += 1 }
            let literal = slice(start, i)
            if JSONScanner.matches(literal, "true") || JSONScanner.matches(literal, "false") {
                return JSONScanner.Member(key: key, value: literal, kind: .bool, escaped: false)
            }
            if JSONScanner.matches(literal, "null") {
                return JSONScanner.Member(key: key, value: literal, kind: .null, escaped: false)
            }
            return nil
        default:
            while i < limit {
                let b = byte(i)
                guard
                    b &- UInt8(ascii: "0") < 10 || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
                        || b == UInt8(ascii: "+") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
                else { break }
                i += 1
            }
            // The run must end where JSONScanner's would: at `,`, `}` or space.
            guard i > start, i < limit else { return nil }
            let end = byte(i)
            guard end == UInt8(ascii: ",") || end == UInt8(ascii: "}") || isSpace(end) else { return nil }
            return JSONScanner.Member(key: key, value: slice(start, i), kind: .number, escaped: false)
        }
    }

    @inline(__always)
    private func byte(_ index: Int) -> UInt8 {
        base.load(fromByteOffset: index, as: UInt8.self)
    }

    @inline(__always)
    private func slice(_ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + from, count: to - from)
    }

    @inline(__always)
    private func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
    }

    @inline(__always)
    private mutating func skipSpace() {
        while i < limit, isSpace(byte(i)) { i += 1 }
    }

    /// ``JSONFields/pack(_:)`` of the `length` key bytes at `start`, with one load when the chunk allows it.
    @inline(__always)
    private func pack(_ start: Int, _ length: Int) -> UInt64 {
        guard length <= 8 else { return 0 }
        guard start + 8 <= count else {
            return JSONFields.pack(UnsafeRawBufferPointer(start: base + start, count: length))
        }
        let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: start, as: UInt64.self))
        return length == 8 ? word : word & ((1 << (8 * UInt64(length))) &- 1)
    }

    /// Reads a string starting at its opening quote; returns its content and whether it has escapes. `nil` for a
    /// control byte or no closing quote before the limit.
    ///
    /// Eight bytes at a time while the chunk allows: the first quote, backslash or control byte of a word is found
    /// with carry-free bit tricks (exact for the lowest flagged byte, which is the only one used).
    @inline(__always)
    private mutating func string() -> (UnsafeRawBufferPointer, Bool)? {
        i += 1
        let start = i
        var escaped = false
        while i + 8 <= count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let flags = Self.specialBytes(word)
            if flags == 0 {
                i += 8
                guard i < limit else { return nil }
                continue
            }
            i += flags.trailingZeroBitCount >> 3
            guard i < limit else { return nil }
            let b = byte(i)
            if b == UInt8(ascii: "\\") {
                escaped = true
                i += 2
                continue
            }
            guard b == UInt8(ascii: "\"") else { return nil }
            let content = slice(start, i)
            i += 1
            return (content, escaped)
        }
        while i < limit {
            let b = byte(i)
            if b == UInt8(ascii: "\"") {
                let content = slice(start, i)
                i += 1
                return (content, escaped)
            }
            if b == UInt8(ascii: "\\") {
                escaped = true
                i += 2
                continue
            }
            if b < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    /// The high bit of each byte of `word` that is a quote, a backslash or below 0x20 (only the lowest is exact).
    @inline(__always)
    private static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let isQuote = (quote &- ones) & ~quote
        let isBackslash = (backslash &- ones) & ~backslash
        let isControl = (word &- ones &* 0x20) & ~word
        return (isQuote | isBackslash | isControl) & highs
    }

    /// Skips a nested object or array starting at its opening bracket; `false` when it does not close before the
    /// limit, holds a bad string, or has a line break outside its strings.
    private mutating func skipNested() -> Bool {
        var depth = 0
        while i < limit {
            let b = byte(i)
            if b == UInt8(ascii: "\"") {
                guard string() != nil else { return false }
                continue
            }
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                depth += 1
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 {
                    i += 1
                    return true
                }
            } else if b == 0x0A || b == 0x0D {
                return false
            }
            i += 1
        }
        return false
    }
}
