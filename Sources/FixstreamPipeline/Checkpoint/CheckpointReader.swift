/// Reads back what a ``CheckpointWriter`` wrote, checking every byte: a truncated or garbage checkpoint throws
/// ``CheckpointError``, it never traps.
///
/// Beyond the encoding, values are held to ranges that keep restored state safe to compute with: integers within
/// ±``integerLimit`` (so sums and differences of restored times cannot overflow), doubles and floats finite,
/// flags 0 or 1, a count no larger than the bytes that remain could hold (so garbage never makes a huge
/// allocation), strings valid UTF-8. A stage checks what only it knows (enum cases, sizes of its own lists).
public struct CheckpointReader {
    /// The largest magnitude an integer may have: 2^53, about ±285,000 years in milliseconds.
    public static let integerLimit: Int64 = 1 << 53

    private let bytes: [UInt8]
    private var position: Int
    private let end: Int

    /// A reader of `bytes`, from the start.
    public init(_ bytes: [UInt8]) {
        self.init(bytes, from: 0, to: bytes.count)
    }

    private init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        position = start
        self.end = end
    }

    /// The offset of the next byte to read, for error messages.
    public var offset: Int { position }

    /// Bytes not read yet.
    public var remaining: Int { end - position }

    /// Whether everything was read.
    public var isAtEnd: Bool { position == end }

    /// Throws unless everything was read: bytes after the last value mean the checkpoint is not what the reader
    /// thinks it is.
    /// - Throws: ``CheckpointError/Code/malformed``.
    public func expectEnd() throws(CheckpointError) {
        guard isAtEnd else { throw failure(.malformed, "\(remaining) unexpected bytes after the end") }
    }

    /// The error for a problem at the current offset.
    public func failure(_ code: CheckpointError.Code, _ message: String) -> CheckpointError {
        CheckpointError(code, message, offset: position)
    }

    /// Reads a format version and checks that it is one of `supported`.
    /// - Throws: ``CheckpointError/Code/unsupportedVersion`` for any other, ``CheckpointError/Code/truncated``.
    public mutating func readVersion(_ supported: ClosedRange<UInt8>) throws(CheckpointError) -> UInt8 {
        let version = try readByte()
        guard supported.contains(version) else {
            position -= 1
            throw failure(
                .unsupportedVersion,
                "format version \(version); this build reads \(supported.lowerBound) to \(supported.upperBound)"
            )
        }
        return version
    }

    /// Reads one byte.
    /// - Throws: ``CheckpointError/Code/truncated``.
    public mutating func readByte() throws(CheckpointError) -> UInt8 {
        guard position < end else { throw failure(.truncated, "the checkpoint ends where a byte was expected") }
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads a flag.
    /// - Throws: ``CheckpointError/Code/malformed`` for a byte other than 0 or 1, ``CheckpointError/Code/truncated``.
    public mutating func readBool() throws(CheckpointError) -> Bool {
        let byte = try readByte()
        guard byte <= 1 else {
            position -= 1
            throw failure(.malformed, "a flag of \(byte), not 0 or 1")
        }
        return byte == 1
    }

    /// Reads an integer written with ``CheckpointWriter/write(_:)-(Int64)``.
    /// - Throws: ``CheckpointError/Code/malformed`` beyond ±``integerLimit``, ``CheckpointError/Code/truncated``.
    public mutating func readInt64() throws(CheckpointError) -> Int64 {
        let start = position
        let raw = try readUnsigned()
        let value = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
        guard value >= -Self.integerLimit && value <= Self.integerLimit else {
            position = start
            throw failure(.malformed, "integer \(value) out of range")
        }
        return value
    }

    /// Reads an integer as `Int`.
    /// - Throws: as ``readInt64()``.
    public mutating func readInt() throws(CheckpointError) -> Int {
        Int(try readInt64())
    }

    /// Reads a count of items, each taking at least `minimumSize` bytes: it cannot exceed what remains.
    /// - Throws: ``CheckpointError/Code/truncated`` for a count the remaining bytes cannot hold, or a checkpoint
    ///   that ends inside the count.
    public mutating func readCount(minimumSize: Int = 1) throws(CheckpointError) -> Int {
        let start = position
        let raw = try readUnsigned()
        guard raw <= UInt64(remaining / max(1, minimumSize)) else {
            position = start
            throw failure(.truncated, "a count of \(raw) where \(remaining) bytes remain")
        }
        return Int(raw)
    }

    /// Reads 64 bits as they are (bit sets).
    /// - Throws: ``CheckpointError/Code/truncated``.
    public mutating func readBits() throws(CheckpointError) -> UInt64 {
        guard remaining >= 8 else { throw failure(.truncated, "the checkpoint ends inside an 8-byte value") }
        var value: UInt64 = 0
        for index in 0 ..< 8 { value |= UInt64(bytes[position + index]) << (8 * index) }
        position += 8
        return value
    }

    /// Reads a finite `Double`.
    /// - Throws: ``CheckpointError/Code/malformed`` for NaN or an infinity, ``CheckpointError/Code/truncated``.
    public mutating func readDouble() throws(CheckpointError) -> Double {
        let value = Double(bitPattern: try readBits())
        guard value.isFinite else {
            position -= 8
            throw failure(.malformed, "a number that is not finite")
        }
        return value
    }

    /// Reads a finite `Float`.
    /// - Throws: ``CheckpointError/Code/malformed`` for NaN or an infinity, ``CheckpointError/Code/truncated``.
    public mutating func readFloat() throws(CheckpointError) -> Float {
        guard remaining >= 4 else { throw failure(.truncated, "the checkpoint ends inside a 4-byte value") }
        var bits: UInt32 = 0
        for index in 0 ..< 4 { bits |= UInt32(bytes[position + index]) << (8 * index) }
        let value = Float(bitPattern: bits)
        guard value.isFinite else { throw failure(.malformed, "a number that is not finite") }
        position += 4
        return value
    }

    /// Reads a string.
    /// - Throws: ``CheckpointError/Code/malformed`` for bytes that are not UTF-8, ``CheckpointError/Code/truncated``
    ///   for a length beyond the end.
    public mutating func readString() throws(CheckpointError) -> String {
        let length = try readCount()
        guard let string = String(validating: bytes[position ..< position + length], as: UTF8.self) else {
            throw failure(.malformed, "a string that is not UTF-8")
        }
        position += length
        return string
    }

    /// Reads an optional integer.
    /// - Throws: as ``readBool()`` and ``readInt64()``.
    public mutating func readOptionalInt64() throws(CheckpointError) -> Int64? {
        try readOptional { reader throws(CheckpointError) in try reader.readInt64() }
    }

    /// Reads an optional `Double`.
    /// - Throws: as ``readBool()`` and ``readDouble()``.
    public mutating func readOptionalDouble() throws(CheckpointError) -> Double? {
        try readOptional { reader throws(CheckpointError) in try reader.readDouble() }
    }

    /// Reads an optional value: a presence flag, then `body` reads the value when there is one.
    /// - Throws: as ``readBool()``, or what `body` throws.
    public mutating func readOptional<Value>(
        _ body: (inout CheckpointReader) throws(CheckpointError) -> Value
    ) throws(CheckpointError) -> Value? {
        guard try readBool() else { return nil }
        return try body(&self)
    }

    /// Reads a section written by ``CheckpointWriter/section(_:)`` and returns a reader of just its bytes (the
    /// bytes are shared, not copied); this reader moves past it.
    /// - Throws: ``CheckpointError/Code/truncated`` when the section is longer than what remains.
    public mutating func readSection() throws(CheckpointError) -> CheckpointReader {
        guard remaining >= 4 else { throw failure(.truncated, "the checkpoint ends inside a section length") }
        var length = 0
        for index in 0 ..< 4 { length |= Int(bytes[position + index]) << (8 * index) }
        guard length <= remaining - 4 else {
            throw failure(.truncated, "a section of \(length) bytes where \(remaining - 4) remain")
        }
        let section = CheckpointReader(bytes, from: position + 4, to: position + 4 + length)
        position += 4 + length
        return section
    }

    private mutating func readUnsigned() throws(CheckpointError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else {
                position = start
                throw failure(.truncated, "the checkpoint ends inside a number")
            }
            let byte = bytes[position]
            position += 1
            guard shift < 63 || byte <= 1 else {
                position = start
                throw failure(.malformed, "a number longer than 64 bits")
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }
}
