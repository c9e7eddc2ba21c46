/// Parsing of timestamps from bytes: RFC 3339 / ISO 8601 text and Unix epoch numbers.
public enum TimestampParser {
    /// Epoch values above this are milliseconds, below are seconds (1e11 s is the year 5138; 1e11 ms is 1973).
    public static let millisecondsThreshold = 100_000_000_000.0

    /// Parses RFC 3339 date-time text: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    ///
    /// Also accepted, as real senders write them: `t`/space for `T`, `z`, offsets `±HHMM` and `±HH`, and no offset
    /// at all (taken as UTC). The fraction may have any number of digits; it is truncated to milliseconds.
    /// - Returns: `nil` for malformed text or impossible dates and times.
    public static func rfc3339(_ bytes: UnsafeRawBufferPointer) -> Timestamp? {
        guard bytes.count >= 19, let p = bytes.baseAddress else { return nil }
        // The first 19 bytes are known to be there: read them without bounds checks.
        @inline(__always) func at(_ index: Int) -> UInt8 { p.load(fromByteOffset: index, as: UInt8.self) }
        guard let year = digits(p, 0, 4), at(4) == UInt8(ascii: "-"),
            let month = digits(p, 5, 2), at(7) == UInt8(ascii: "-"),
            let day = digits(p, 8, 2),
            at(10) == UInt8(ascii: "T") || at(10) == UInt8(ascii: "t") || at(10) == UInt8(ascii: " "),
            let hour = digits(p, 11, 2), at(13) == UInt8(ascii: ":"),
            let minute = digits(p, 14, 2), at(16) == UInt8(ascii: ":"),
            let second = digits(p, 17, 2),
            Timestamp.isValidDate(year: year, month: month, day: day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var i = 19
        var millis: Int64 = 0
        if i < bytes.count && (at(i) == UInt8(ascii: ".") || at(i) == UInt8(ascii: ",")) {
            i += 1
            var fractionDigits = 0
            while i < bytes.count, at(i) &- UInt8(ascii: "0") < 10 {
                if fractionDigits < 3 { millis = millis * 10 + Int64(at(i) &- UInt8(ascii: "0")) }
                fractionDigits += 1
                i += 1
            }
            guard fractionDigits > 0 else { return nil }
            for _ in min(fractionDigits, 3) ..< 3 { millis *= 10 }
        }
        var offsetMinutes: Int64 = 0
        if i < bytes.count {
            let sign = bytes[i]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                i += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                guard let hours = DecimalParser.fixedDigits(bytes, at: i + 1, count: 2), hours < 24 else {
                    return nil
                }
                i += 3
                var minutes: Int64 = 0
                if i < bytes.count {
                    if bytes[i] == UInt8(ascii: ":") { i += 1 }
                    guard let parsed = DecimalParser.fixedDigits(bytes, at: i, count: 2), parsed < 60 else {
                        return nil
                    }
                    minutes = parsed
                    i += 2
                }
                offsetMinutes = (hours * 60 + minutes) * (sign == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        guard i == bytes.count else { return nil }
        let days = Timestamp.days(year: year, month: month, day: day)
        let millisOfDay = ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis
        return Timestamp(day: days, millisecondOfDay: millisOfDay)
    }

    /// `count` decimal digits at `offset` of `p`, which the caller has checked are readable.
    @inline(__always)
    private static func digits(_ p: UnsafeRawPointer, _ offset: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for index in offset ..< offset + count {
            let digit = p.load(fromByteOffset: index, as: UInt8.self) &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
        }
        return value
    }

    /// Interprets a Unix epoch number: seconds (fractions allowed) or, above ``millisecondsThreshold``,
    /// milliseconds. Returns `nil` for negative, non-finite or absurd values.
    public static func epoch(_ value: Double) -> Timestamp? {
        guard value.isFinite, value >= 0, value < 1e14 else { return nil }
        // Rounded, not truncated: 1440395361.123 * 1000 is 1440395361122.9998 in binary floating point.
        let millis = value >= millisecondsThreshold ? value : value * 1000
        return Timestamp(millisecondsSinceEpoch: Int64(millis.rounded()))
    }

    /// Parses either an epoch number written as text (`"1440395361"`) or RFC 3339 text.
    public static func any(_ bytes: UnsafeRawBufferPointer) -> Timestamp? {
        if let number = DecimalParser.double(bytes) { return epoch(number) }
        return rfc3339(bytes)
    }
}
