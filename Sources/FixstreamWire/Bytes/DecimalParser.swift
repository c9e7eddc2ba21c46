/// Parsing of decimal numbers straight from bytes, without String or Foundation.
public enum DecimalParser {
    /// Exact powers of ten representable in a Double (10^0 ... 10^22).
    @usableFromInline
    static let powersOfTen: [Double] = (0 ... 22).map { exponent in
        var value = 1.0
        for _ in 0 ..< exponent { value *= 10 }
        return value
    }

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` filling the whole buffer.
    ///
    /// Up to 19 significant digits with a small exponent take the exact fast path (Clinger): one integer
    /// accumulation and one multiplication or division by an exact power of ten, correctly rounded while the
    /// mantissa stays below 2^53. Anything longer falls back to the standard library's parser.
    ///
    /// - Returns: the value, or `nil` when the bytes are empty or not a number.
    @inlinable
    public static func double(_ bytes: UnsafeRawBufferPointer) -> Double? {
        let count = bytes.count
        guard count > 0 else { return nil }
        var i = 0
        var negative = false
        let first = bytes[0]
        if first == UInt8(ascii: "-") {
            negative = true
            i = 1
        } else if first == UInt8(ascii: "+") {
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var fractionDigits = 0
        var sawDot = false
        while i < count {
            let byte = bytes[i]
            let digit = byte &- UInt8(ascii: "0")
            if digit < 10 {
                digits += 1
                if significant < 19 {
                    if mantissa != 0 || digit != 0 { significant += 1 }
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    if sawDot { fractionDigits += 1 }
                } else if !sawDot {
                    return slowPath(bytes)
                } else {
                    // Digits past 19 significant ones after the dot: below double precision, but keep exact.
                    return slowPath(bytes)
                }
            } else if byte == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else {
                break
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        var exponent = 0
        if i < count {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") else { return nil }
            i += 1
            var expNegative = false
            if i < count && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < count else { return nil }
            while i < count {
                let digit = bytes[i] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                if exponent < 10_000 { exponent = exponent * 10 + Int(digit) }
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        let scale = exponent - fractionDigits
        var value: Double
        if mantissa < (1 << 53) && scale >= -22 && scale <= 22 {
            value = Double(mantissa)
            if scale < 0 {
                value /= powersOfTen[-scale]
            } else if scale > 0 {
                value *= powersOfTen[scale]
            }
        } else {
            return slowPath(bytes)
        }
        return negative ? -value : value
    }

    @usableFromInline
    static func slowPath(_ bytes: UnsafeRawBufferPointer) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }

    /// Parses an unsigned decimal integer filling the whole buffer (at most 18 digits).
    @inlinable
    public static func unsigned(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
        }
        return value
    }

    /// Parses exactly `count` digits at `offset`, or returns `nil`.
    @inlinable
    public static func fixedDigits(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) -> Int64? {
        guard offset >= 0, offset + count <= bytes.count else { return nil }
        var value: Int64 = 0
        for i in offset ..< offset + count {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
        }
        return value
    }
}
