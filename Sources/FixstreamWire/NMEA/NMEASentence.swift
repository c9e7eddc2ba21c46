/// A view of one NMEA 0183 sentence's fields, between `$` and `*`.
///
/// Made by ``NMEASentence/scan(_:from:offsets:)``, which verifies the checksum and records where each field
/// starts and ends in one pass over the bytes. The offsets live in caller-provided (stack) memory, so scanning
/// allocates nothing.
struct NMEASentence {
    /// Most fields a sentence may have; longer ones are malformed (GSV has 21, GSA 19).
    static let maxFields = 48

    /// The outcome of scanning one sentence.
    enum Scan {
        /// A sentence, with whether it carried a checksum and the index just past it in the line.
        case sentence(NMEASentence, hasChecksum: Bool, end: Int)
        /// The checksum did not match; `end` is where the line continues.
        case badChecksum(end: Int)
        /// Too many fields, or a `*` without two hex digits.
        case malformed(end: Int)
    }

    /// The line the sentence is in.
    let line: UnsafeRawBufferPointer
    /// Field boundaries: field i is `line[offsets[2i] ..< offsets[2i+1]]`.
    let offsets: UnsafeMutablePointer<Int32>
    /// Number of fields, the address (`GPRMC`) being field 0.
    let count: Int

    /// Scans the sentence whose first byte after `$` is at `start`.
    ///
    /// The sentence ends at `*hh` (checksum, upper- or lower-case hex), at a line end, or where another `$` starts
    /// a sentence run into this one without a line break.
    static func scan(_ line: UnsafeRawBufferPointer, from start: Int, offsets: UnsafeMutablePointer<Int32>) -> Scan {
        var sum: UInt8 = 0
        var fields = 0
        var fieldStart = start
        var i = start
        let end = line.count
        while i < end {
            let byte = line[i]
            if byte == UInt8(ascii: ",") {
                guard fields < maxFields - 1 else { return .malformed(end: skipToNextSentence(line, from: i)) }
                offsets[2 * fields] = Int32(truncatingIfNeeded: fieldStart)
                offsets[2 * fields + 1] = Int32(truncatingIfNeeded: i)
                fields += 1
                fieldStart = i + 1
            } else if byte == UInt8(ascii: "*") || byte == UInt8(ascii: "$") || byte < 0x20 {
                break
            }
            sum ^= byte
            i += 1
        }
        offsets[2 * fields] = Int32(truncatingIfNeeded: fieldStart)
        offsets[2 * fields + 1] = Int32(truncatingIfNeeded: i)
        fields += 1
        let sentence = NMEASentence(line: line, offsets: offsets, count: fields)
        guard i < end, line[i] == UInt8(ascii: "*") else {
            return .sentence(sentence, hasChecksum: false, end: i)
        }
        guard i + 2 < end, let high = hexValue(line[i + 1]), let low = hexValue(line[i + 2]) else {
            return .malformed(end: skipToNextSentence(line, from: i + 1))
        }
        guard high << 4 | low == sum else { return .badChecksum(end: i + 3) }
        return .sentence(sentence, hasChecksum: true, end: i + 3)
    }

    private static func skipToNextSentence(_ line: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        while i < line.count && line[i] != UInt8(ascii: "$") { i += 1 }
        return i
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        default: nil
        }
    }

    /// The bytes of field `index`; empty when the sentence has fewer fields.
    @inline(__always)
    subscript(index: Int) -> UnsafeRawBufferPointer {
        guard index < count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let from = Int(offsets[2 * index])
        let to = Int(offsets[2 * index + 1])
        return UnsafeRawBufferPointer(rebasing: line[from ..< to])
    }

    /// The first byte of field `index`, or 0 when it is empty or missing.
    @inline(__always)
    func character(_ index: Int) -> UInt8 {
        let field = self[index]
        return field.isEmpty ? 0 : field[0]
    }
}

/// Readers for the value formats NMEA fields use.
enum NMEAField {
    /// A decimal number, or `nil` if empty; `.failure` when present but not a number.
    static func number(_ field: UnsafeRawBufferPointer) -> Result<Double?, NMEAFieldError> {
        guard !field.isEmpty else { return .success(nil) }
        guard let value = DecimalParser.double(field) else { return .failure(.malformed) }
        return .success(value)
    }

    /// `hhmmss[.fff...]` as milliseconds of the day; fractions beyond milliseconds are truncated.
    static func timeOfDay(_ field: UnsafeRawBufferPointer) -> Result<Int64?, NMEAFieldError> {
        guard !field.isEmpty else { return .success(nil) }
        guard let hour = DecimalParser.fixedDigits(field, at: 0, count: 2),
            let minute = DecimalParser.fixedDigits(field, at: 2, count: 2),
            let second = DecimalParser.fixedDigits(field, at: 4, count: 2)
        else { return .failure(.badTime) }
        guard hour < 24, minute < 60, second <= 60 else { return .failure(.badTime) }
        var millis: Int64 = 0
        if field.count > 6 {
            guard field[6] == UInt8(ascii: ".") else { return .failure(.badTime) }
            var digits = 0
            for i in 7 ..< field.count {
                let digit = field[i] &- UInt8(ascii: "0")
                guard digit < 10 else { return .failure(.badTime) }
                if digits < 3 { millis = millis * 10 + Int64(digit) }
                digits += 1
            }
            for _ in min(digits, 3) ..< 3 { millis *= 10 }
        }
        return .success(((hour * 60 + minute) * 60 + second) * 1000 + millis)
    }

    /// `ddmmyy` as days since 1970. Two-digit years 80...99 are 19xx, 00...79 are 20xx.
    static func date(_ field: UnsafeRawBufferPointer) -> Result<Int64?, NMEAFieldError> {
        guard !field.isEmpty else { return .success(nil) }
        guard field.count == 6, let day = DecimalParser.fixedDigits(field, at: 0, count: 2),
            let month = DecimalParser.fixedDigits(field, at: 2, count: 2),
            let yy = DecimalParser.fixedDigits(field, at: 4, count: 2)
        else { return .failure(.badTime) }
        let year = yy >= 80 ? 1900 + yy : 2000 + yy
        guard Timestamp.isValidDate(year: year, month: month, day: day) else { return .failure(.badTime) }
        return .success(Timestamp.days(year: year, month: month, day: day))
    }

    /// A `(d)ddmm.mmmm` coordinate and its hemisphere letter as signed degrees, with the count of fraction
    /// digits (a measure of precision). `nil` when both fields are empty.
    ///
    /// A leading minus sign is ignored in favour of the hemisphere (a known Unicore firmware quirk).
    static func coordinate(
        _ value: UnsafeRawBufferPointer,
        _ hemisphere: UnsafeRawBufferPointer,
        isLatitude: Bool
    ) -> Result<(degrees: Double, digits: Int)?, NMEAFieldError> {
        if value.isEmpty && hemisphere.isEmpty { return .success(nil) }
        guard !value.isEmpty, hemisphere.count == 1 else { return .failure(.missingCoordinates) }
        var start = 0
        if value[0] == UInt8(ascii: "-") { start = 1 }
        var dot = start
        while dot < value.count && value[dot] != UInt8(ascii: ".") { dot += 1 }
        let integerDigits = dot - start
        guard integerDigits >= 3 && integerDigits <= 5 else { return .failure(.badCoordinates) }
        guard let integer = DecimalParser.fixedDigits(value, at: start, count: integerDigits) else {
            return .failure(.badCoordinates)
        }
        var fraction = 0.0
        var digits = 0
        if dot < value.count {
            let fractionBytes = UnsafeRawBufferPointer(rebasing: value[dot ..< value.count])
            guard fractionBytes.count > 1, let parsed = DecimalParser.double(fractionBytes) else {
                return .failure(.badCoordinates)
            }
            fraction = parsed
            digits = fractionBytes.count - 1
        }
        let degrees = Double(integer / 100)
        let minutes = Double(integer % 100) + fraction
        guard minutes < 60 else { return .failure(.badCoordinates) }
        var result = degrees + minutes / 60
        switch hemisphere[0] | 0x20 {  // lower-case
        case UInt8(ascii: "n") where isLatitude, UInt8(ascii: "e") where !isLatitude: break
        case UInt8(ascii: "s") where isLatitude, UInt8(ascii: "w") where !isLatitude: result = -result
        default: return .failure(.badCoordinates)
        }
        guard result.magnitude <= (isLatitude ? 90 : 180) else { return .failure(.badCoordinates) }
        return .success((result, digits))
    }
}

/// What went wrong reading a field; maps onto a ``RejectReason``.
enum NMEAFieldError: Error {
    case malformed
    case badTime
    case missingCoordinates
    case badCoordinates

    var reason: RejectReason {
        switch self {
        case .malformed: .malformedSentence
        case .badTime: .badTime
        case .missingCoordinates: .missingCoordinates
        case .badCoordinates: .badCoordinates
        }
    }
}
