/// The `name=value` pairs of an `application/x-www-form-urlencoded` body or a URL query string, read in place.
///
/// Iterating yields each pair's name and value still encoded, as slices of the input: nothing is copied or
/// allocated. Pairs are separated by `&`; empty pairs (`a=1&&b=2`) are skipped; a pair without `=` has an empty
/// value. Decoding (``decode(_:into:)``, ``withDecoded(_:_:)``, ``name(_:is:)``) turns `+` into a space and `%hh`
/// into the byte it names; a `%` not followed by two hex digits is kept as it is (as browsers do), so malformed
/// input never fails. Decoded bytes are not checked for UTF-8: callers validate what they use.
///
/// The bytes must stay valid while the fields or any slice of them are in use.
public struct FormFields: Sequence {
    /// One pair, both halves still encoded.
    public struct Field {
        /// The name as sent (may contain `+` and `%hh`).
        public var name: UnsafeRawBufferPointer
        /// The value as sent (may contain `+` and `%hh`); empty when the pair had no `=`.
        public var value: UnsafeRawBufferPointer
    }

    /// Iterates the pairs in order.
    public struct Iterator: IteratorProtocol {
        private let bytes: UnsafeRawBufferPointer
        private var position = 0

        fileprivate init(_ bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        /// The next non-empty pair, or `nil` at the end.
        public mutating func next() -> Field? {
            let count = bytes.count
            while position < count {
                let start = position
                var end = start
                var equals = -1
                while end < count {
                    let byte = bytes[end]
                    if byte == UInt8(ascii: "&") { break }
                    if byte == UInt8(ascii: "=") && equals < 0 { equals = end }
                    end += 1
                }
                position = end + 1
                guard end > start else { continue }
                if equals < 0 {
                    return Field(name: slice(start, end), value: slice(end, end))
                }
                return Field(name: slice(start, equals), value: slice(equals + 1, end))
            }
            return nil
        }

        private func slice(_ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: bytes[from ..< to])
        }
    }

    /// The encoded text: a query string without `?`, or a form body.
    public let bytes: UnsafeRawBufferPointer

    /// Reads pairs from `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// An iterator over the pairs.
    public func makeIterator() -> Iterator {
        Iterator(bytes)
    }

    /// The first pair whose decoded name is `name`, or `nil`.
    ///
    /// - Complexity: O(n) in the input; no allocation.
    public func first(named name: StaticString) -> Field? {
        for field in self where Self.name(field.name, is: name) { return field }
        return nil
    }

    /// Whether an encoded name decodes to `text` exactly, decoding on the fly without a buffer.
    public static func name(_ encoded: UnsafeRawBufferPointer, is text: StaticString) -> Bool {
        let expected = text.utf8Start
        let expectedCount = text.utf8CodeUnitCount
        var matched = 0
        var i = 0
        while i < encoded.count {
            let (byte, width) = decodedByte(encoded, at: i)
            guard matched < expectedCount, byte == expected[matched] else { return false }
            matched += 1
            i += width
        }
        return matched == expectedCount
    }

    /// Decodes `encoded` into `scratch`.
    ///
    /// - Returns: the decoded bytes (a prefix of `scratch`), or `nil` when `scratch` is too small. The decoded
    ///   form is never longer than the encoded one, so `encoded.count` bytes of scratch always suffice.
    public static func decode(
        _ encoded: UnsafeRawBufferPointer,
        into scratch: UnsafeMutableRawBufferPointer
    ) -> UnsafeRawBufferPointer? {
        var out = 0
        var i = 0
        while i < encoded.count {
            guard out < scratch.count else { return nil }
            let (byte, width) = decodedByte(encoded, at: i)
            scratch[out] = byte
            out += 1
            i += width
        }
        return UnsafeRawBufferPointer(rebasing: scratch[0 ..< out])
    }

    /// Calls `body` with the decoded form of `encoded`: the input itself when it holds no `+` or `%`, otherwise
    /// a temporary copy (on the stack for short values).
    public static func withDecoded<R>(
        _ encoded: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        guard needsDecoding(encoded) else { return try body(encoded) }
        return try withUnsafeTemporaryAllocation(byteCount: encoded.count, alignment: 1) { scratch in
            try body(decode(encoded, into: scratch)!)
        }
    }

    /// Whether `encoded` holds a `+` or a `%`, that is, whether decoding could change it.
    public static func needsDecoding(_ encoded: UnsafeRawBufferPointer) -> Bool {
        for byte in encoded where byte == UInt8(ascii: "+") || byte == UInt8(ascii: "%") { return true }
        return false
    }

    /// The byte that encoded text at `i` stands for, and how many encoded bytes it took.
    @inline(__always)
    private static func decodedByte(_ encoded: UnsafeRawBufferPointer, at i: Int) -> (UInt8, Int) {
        let byte = encoded[i]
        if byte == UInt8(ascii: "+") { return (UInt8(ascii: " "), 1) }
        if byte == UInt8(ascii: "%"), i + 2 < encoded.count, let high = hexValue(encoded[i + 1]),
            let low = hexValue(encoded[i + 2])
        {
            return (high << 4 | low, 3)
        }
        return (byte, 1)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }
}
