/// A UTC instant with millisecond precision, counted from the Unix epoch.
///
/// Leap seconds are not represented (as in POSIX time). Civil-date conversions use the proleptic Gregorian
/// calendar and work on plain integers, so they cost a few nanoseconds and never allocate.
public struct Timestamp: Hashable, Comparable, Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    /// Creates a timestamp from milliseconds since the Unix epoch.
    @inlinable
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Creates a timestamp from a civil UTC date and a time of day in milliseconds.
    ///
    /// - Parameters:
    ///   - day: days since 1970-01-01 (see ``Timestamp/days(year:month:day:)``).
    ///   - millisecondOfDay: 0 ..< 86_400_000 (values outside roll into neighbouring days).
    @inlinable
    public init(day: Int64, millisecondOfDay: Int64) {
        self.millisecondsSinceEpoch = day &* 86_400_000 &+ millisecondOfDay
    }

    /// Whether `lhs` is earlier than `rhs`.
    @inlinable
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (month 1...12, day 1...31).
    ///
    /// Howard Hinnant's `days_from_civil` algorithm; exact for any year representable in `Int64`.
    @inlinable
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date (year, month 1...12, day 1...31) of a count of days since 1970-01-01.
    @inlinable
    public static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Whether `day` exists in `month` of `year` (Gregorian leap years).
    @inlinable
    public static func isValidDate(year: Int64, month: Int64, day: Int64) -> Bool {
        guard month >= 1 && month <= 12 && day >= 1 else { return false }
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return day <= (leap ? 29 : 28)
        case 4, 6, 9, 11: return day <= 30
        default: return day <= 31
        }
    }

    /// Days since the epoch of this instant (floor division, correct before 1970 too).
    @inlinable
    public var day: Int64 {
        let ms = millisecondsSinceEpoch
        return ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
    }

    /// Milliseconds since midnight UTC of this instant.
    @inlinable
    public var millisecondOfDay: Int64 { millisecondsSinceEpoch - day * 86_400_000 }
}
