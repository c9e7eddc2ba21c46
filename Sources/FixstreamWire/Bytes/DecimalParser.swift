/// Parsing of decimal numbers straight from bytes, without String or Foundation.
public enum DecimalParser {
    /// Exact powers of ten representable in a Double (10^0 ... 10^22), as a switch the compiler turns into a
    /// constant table (a `static let` array would cost a lazy-initialisation check and a bounds check per use).
    @usableFromInline @inline(__always)
    static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
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
        guard count > 0, let base = bytes.baseAddress else { return nil }
        var i = 0
        let first = base.load(as: UInt8.self)
        let negative = first == UInt8(ascii: "-")
        if negative || first == UInt8(ascii: "+") { i = 1 }
        // Digits before and after the dot. Past 19 digits (rare) the mantissa may wrap: `longDouble` decides.
        var mantissa: UInt64 = 0
        let integerStart = i
        while i < count {
            let digit = base.load(fromByteOffset: i, as: UInt8.self) &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            i += 1
        }
        var digits = i - integerStart
        var fractionDigits = 0
        if i < count && base.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < count {
                let digit = base.load(fromByteOffset: i, as: UInt8.self) &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                i += 1
            }
            fractionDigits = i - fractionStart
            digits += fractionDigits
        }
        guard digits > 0 else { return nil }
        guard digits <= 19 else { return longDouble(bytes) }
        var exponent = 0
        if i < count {
            let byte = base.load(fromByteOffset: i, as: UInt8.self)
            guard byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") else { return nil }
            i += 1
            var expNegative = false
            if i < count {
                let sign = base.load(fromByteOffset: i, as: UInt8.self)
                if sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                    expNegative = sign == UInt8(ascii: "-")
                    i += 1
                }
            }
            guard i < count else { return nil }
            while i < count {
                let digit = base.load(fromByteOffset: i, as: UInt8.self) &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                if exponent < 10_000 { exponent = exponent * 10 + Int(digit) }
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        let scale = exponent - fractionDigits
        guard mantissa < (1 << 53) && scale >= -22 && scale <= 22 else { return slowPath(bytes) }
        var value = Double(mantissa)
        if scale < 0 {
            value /= powerOfTen(-scale)
        } else if scale > 0 {
            value *= powerOfTen(scale)
        }
        return negative ? -value : value
    }

    /// ``double(_:)`` for numbers of more than 19 digits: leading zeros do not count towards the 19, so some still
    /// take the fast path.
    @usableFromInline
    static func longDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
        let count = bytes.count
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
                } else {
                    // Past 19 significant digits, before or after the dot: let the standard library round.
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
        guard mantissa < (1 << 53) && scale >= -22 && scale <= 22 else { return slowPath(bytes) }
        var value = Double(mantissa)
        if scale < 0 {
            value /= powerOfTen(-scale)
        } else if scale > 0 {
            value *= powerOfTen(scale)
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
