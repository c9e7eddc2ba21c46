/// Appends values to a checkpoint: the compact binary form of a vehicle's state, read back by
/// ``CheckpointReader``.
///
/// The format is fixed by the order of the calls (no field names or types are stored), so every part starts with
/// a one-byte format version (``writeVersion(_:)``) and a reader refuses versions it does not know. Encodings:
/// integers as zigzag LEB128 varints (1 byte for small values, 6 for a time in milliseconds), counts as unsigned
/// LEB128, `Double` and `Float` as their IEEE 754 bits little-endian, `Bool` as one byte 0 or 1, an optional as a
/// presence byte then the value, a string as its UTF-8 length then its bytes, a section as a 4-byte little-endian
/// length then its bytes (so a reader can skip it whole). Pure Swift, no Foundation.
public struct CheckpointWriter {
    /// What was written so far.
    public private(set) var bytes: [UInt8]

    /// An empty writer; `capacity` bytes are reserved.
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Bytes written so far.
    public var count: Int { bytes.count }

    /// Forgets what was written, keeping the storage for the next checkpoint.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Writes the format version of the part that follows (1 for a first format; 0 is never valid).
    public mutating func writeVersion(_ version: UInt8) {
        bytes.append(version)
    }

    /// Writes one byte.
    public mutating func write(_ value: UInt8) {
        bytes.append(value)
    }

    /// Writes a flag as one byte, 0 or 1.
    public mutating func write(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// Writes an integer as a zigzag varint. A reader accepts magnitudes up to ``CheckpointReader/integerLimit``.
    public mutating func write(_ value: Int64) {
        writeUnsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Writes an integer as a zigzag varint (as `Int64`).
    public mutating func write(_ value: Int) {
        write(Int64(value))
    }

    /// Writes a count or length (non-negative) as an unsigned varint.
    public mutating func write(count: Int) {
        writeUnsigned(UInt64(max(0, count)))
    }

    /// Writes 64 bits as they are, little-endian (bit sets).
    public mutating func write(bits value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a `Double` as its 8 bytes, little-endian. A reader refuses NaN and infinities.
    public mutating func write(_ value: Double) {
        write(bits: value.bitPattern)
    }

    /// Writes a `Float` as its 4 bytes, little-endian. A reader refuses NaN and infinities.
    public mutating func write(_ value: Float) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a string as its UTF-8 length and bytes.
    public mutating func write(_ value: String) {
        write(count: value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    /// Writes an optional integer: a presence byte, then the value when there is one.
    public mutating func write(_ value: Int64?) {
        write(value) { $0.write($1) }
    }

    /// Writes an optional `Double`: a presence byte, then the value when there is one.
    public mutating func write(_ value: Double?) {
        write(value) { $0.write($1) }
    }

    /// Writes an optional value: a presence byte, then `body` writes the value when there is one.
    public mutating func write<Value>(_ value: Value?, _ body: (inout CheckpointWriter, Value) -> Void) {
        guard let value else { return bytes.append(0) }
        bytes.append(1)
        body(&self, value)
    }

    /// Writes what `body` writes as a section: a 4-byte length, then the bytes, so a reader can take or skip it
    /// whole.
    /// - Returns: the section's length (without the 4-byte prefix).
    @discardableResult
    public mutating func section(_ body: (inout CheckpointWriter) -> Void) -> Int {
        let start = bytes.count
        bytes.append(contentsOf: [0, 0, 0, 0] as [UInt8])
        body(&self)
        let length = bytes.count - start - 4
        for index in 0 ..< 4 { bytes[start + index] = UInt8(truncatingIfNeeded: UInt32(length) >> (8 * index)) }
        return length
    }

    /// Removes what was written after `count` bytes (to take back a section that turned out empty).
    public mutating func truncate(to count: Int) {
        bytes.removeSubrange(count...)
    }

    /// LEB128: seven bits a byte, low first, the high bit set on every byte but the last. Built in registers and
    /// appended at once.
    private mutating func writeUnsigned(_ value: UInt64) {
        guard value >= 0x80 else { return bytes.append(UInt8(value)) }
        var encoded: (UInt64, UInt64) = (0, 0)
        var value = value
        var length = 0
        while value >= 0x80 {
            if length < 8 {
                encoded.0 |= (value & 0x7F | 0x80) << (8 * UInt64(length))
            } else {
                encoded.1 |= (value & 0x7F | 0x80) << (8 * UInt64(length - 8))
            }
            value >>= 7
            length += 1
        }
        if length < 8 {
            encoded.0 |= value << (8 * UInt64(length))
        } else {
            encoded.1 |= value << (8 * UInt64(length - 8))
        }
        encoded.0 = encoded.0.littleEndian
        encoded.1 = encoded.1.littleEndian
        withUnsafeBytes(of: encoded) { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0 ... length])) }
    }
}
