/// A vehicle identifier: 1 to ``VehicleID/capacity`` bytes, stored inline so that making, copying, hashing and
/// comparing one never allocates.
///
/// Device identifiers in the wild are IMEIs (15 digits), serial numbers, OsmAnd/Traccar ids and UUIDs (36
/// characters): all fit. Only printable ASCII other than space, `"` and `\` is accepted (see
/// ``VehicleID/isIDByte(_:)``), so an id can be written to JSON and logs as it is.
public struct VehicleID: Hashable, Sendable, CustomStringConvertible {
    /// Longest identifier accepted, in bytes.
    public static let capacity = 48

    /// Inline storage; a tuple has a guaranteed layout. Unused bytes stay zero, so == and hash see only the id.
    @usableFromInline
    typealias Storage = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    @usableFromInline var storage: Storage = (0, 0, 0, 0, 0, 0)
    /// Number of bytes in use.
    public private(set) var count: UInt8 = 0

    /// Creates an id from raw bytes, checking length and characters.
    ///
    /// - Returns: `nil` when the bytes are empty, longer than ``capacity``, or contain a byte that
    ///   ``isIDByte(_:)`` refuses.
    public init?(validating bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, bytes.count <= Self.capacity else { return nil }
        count = UInt8(truncatingIfNeeded: bytes.count)
        Swift.withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) }
        guard Self.allIDBytes(storage, count: bytes.count) else { return nil }
    }

    /// Whether the first `count` bytes of `storage` all pass ``isIDByte(_:)``, eight at a time: each test below
    /// tells exactly whether any byte of a word matches (though not which), and the unused tail of the last word is
    /// filled with an id byte first.
    private static func allIDBytes(_ storage: Storage, count: Int) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        return Swift.withUnsafeBytes(of: storage) { words in
            var offset = 0
            while offset < count {
                var word = words.load(fromByteOffset: offset, as: UInt64.self)
                let used = count - offset
                if used < 8 { word |= (ones &* 0x41) & ~((1 << (8 * UInt64(used))) &- 1) }
                let belowPrintable = (word &- ones &* 0x21) & ~word
                let aboveTilde = (word &+ ones) | word  // a byte of 0x7F or more
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let isQuote = (quote &- ones) & ~quote
                let isBackslash = (backslash &- ones) & ~backslash
                if (belowPrintable | aboveTilde | isQuote | isBackslash) & highs != 0 { return false }
                offset += 8
            }
            return true
        }
    }

    /// Creates an id from a string, with the same rules as ``init(validating:)``.
    public init?(_ string: String) {
        var string = string
        guard let made = string.withUTF8({ VehicleID(validating: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = made
    }

    /// Whether a byte may appear in an id: printable ASCII except space, `"` and `\`.
    @inlinable
    public static func isIDByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    /// Calls `body` with the id's bytes.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage) { whole in
            try body(UnsafeRawBufferPointer(rebasing: whole[0 ..< Int(count)]))
        }
    }

    /// The id as a string.
    public var description: String {
        withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether two ids have the same bytes.
    @inlinable
    public static func == (lhs: VehicleID, rhs: VehicleID) -> Bool {
        lhs.count == rhs.count && lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
            && lhs.storage.2 == rhs.storage.2 && lhs.storage.3 == rhs.storage.3 && lhs.storage.4 == rhs.storage.4
            && lhs.storage.5 == rhs.storage.5
    }

    /// A cheap hash of the id that is the same in every run: for caches in front of a `Dictionary`, never for
    /// tables that stand alone. Nothing keys it, so ids can be chosen to collide; a cache that checks its hits and
    /// falls back to the dictionary on a miss only gets slower for those ids, never wrong. Index with the high
    /// bits (`hash >> (64 - bits)`): they depend on every byte.
    @inlinable
    package var unkeyedHash: UInt64 {
        // Every word goes through a multiply, whose high bits depend on all of its input, and the high half is
        // folded into the next word, so ids that differ only in their last bytes (fleet numbers after a common
        // prefix) differ in the high bits of the result.
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = (UInt64(count) ^ storage.0) &* multiplier
        hash = (hash ^ (hash >> 32) ^ storage.1) &* multiplier
        hash = (hash ^ (hash >> 32) ^ storage.2) &* multiplier
        hash = (hash ^ (hash >> 32) ^ storage.3) &* multiplier
        hash = (hash ^ (hash >> 32) ^ storage.4) &* multiplier
        return (hash ^ (hash >> 32) ^ storage.5) &* multiplier
    }

    /// Hashes only the words in use.
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(storage.0)
        if count > 8 {
            hasher.combine(storage.1)
            hasher.combine(storage.2)
            if count > 24 {
                hasher.combine(storage.3)
                hasher.combine(storage.4)
                hasher.combine(storage.5)
            }
        }
    }
}
