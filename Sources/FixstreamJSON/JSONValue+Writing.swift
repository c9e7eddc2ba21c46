extension JSONValue {
    /// The value as compact JSON text: no whitespace, members in document order (duplicates kept), strings
    /// escaped minimally, numbers in their shortest form.
    ///
    /// The output is canonical for a given value: parsing it back gives an equal ``JSONValue``, and writing that
    /// again gives the same bytes. Strings escape only `"`, `\` and control characters (`\b \f \n \r \t`, others as
    /// `\u00XX`); other characters, `/` and non-ASCII included, are written as UTF-8. Numbers that are whole and
    /// below 2^53 in magnitude are written as integers (`95`, not `95.0`); others in Swift's shortest round-trip
    /// form (`0.1`, `1e-07`, `1.5e+300`). Infinities and NaN, which JSON cannot represent and the parser never
    /// produces, are written as `null`.
    ///
    /// - Returns: the UTF-8 text.
    /// - Complexity: O(n) in the size of the value.
    public func serialized() -> [UInt8] {
        var output: [UInt8] = []
        write(to: &output)
        return output
    }

    /// The value as compact JSON text in a `String`; see ``serialized()``.
    public var serializedText: String { String(decoding: serialized(), as: UTF8.self) }

    /// Appends the value as compact JSON text to `output`; see ``serialized()``.
    ///
    /// - Parameter output: the buffer to append to.
    public func write(to output: inout [UInt8]) {
        switch self {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let value):
            output.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value):
            Self.writeNumber(value, to: &output)
        case .string(let value):
            Self.writeString(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Largest magnitude written as an integer: every whole number up to 2^53 is exact in a `Double`.
    private static let largestExactInteger = 9_007_199_254_740_992.0

    private static func writeNumber(_ value: Double, to output: inout [UInt8]) {
        guard value.isFinite else {
            output.append(contentsOf: "null".utf8)
            return
        }
        if value.rounded(.towardZero) == value, abs(value) <= largestExactInteger {
            output.append(contentsOf: String(Int64(value)).utf8)
        } else {
            output.append(contentsOf: value.description.utf8)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0 ..< 0x20:
                output.append(contentsOf: "\\u00".utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
