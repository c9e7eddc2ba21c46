extension OSMTagPolicy {
    /// Walking pace for `maxspeed=walk`, km/h.
    static let walkingSpeed: Float = 6

    /// The highest limit believed, km/h; anything above is taken for a typo.
    static let highestLimit: Float = 300

    /// A `maxspeed` value in metres per second, or nil when it gives no number to use (the class default then
    /// applies).
    ///
    /// Read: a number of km/h (`50`, `7.5`), a number and a unit (`30 mph`, `30mph`, `50 km/h`, `50 kmh`,
    /// `50 kph`, `5 knots`), `walk` (6 km/h); of a list `a;b`, the first entry. Nil for `none`, `signals`,
    /// `variable`, country-coded implicit limits (`FR:urban`, `DE:zone30`), zero, negative or above 300 km/h,
    /// and anything else.
    public static func speedLimit(_ text: String) -> Float? {
        let first = trimmed(text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        if first == "walk" { return walkingSpeed / 3.6 }
        // The number: digits with at most one decimal point.
        var numberEnd = first.startIndex
        while numberEnd < first.endIndex, first[numberEnd].isASCII,
            first[numberEnd].isNumber || first[numberEnd] == "."
        {
            numberEnd = first.index(after: numberEnd)
        }
        guard numberEnd > first.startIndex, let value = Float(first[..<numberEnd]), value.isFinite else {
            return nil
        }
        let kilometresPerHour: Float
        switch trimmed(first[numberEnd...]) {
        case "", "km/h", "kmh", "kph": kilometresPerHour = value
        case "mph": kilometresPerHour = value * 1.609_344
        case "knots": kilometresPerHour = value * 1.852
        default: return nil
        }
        guard kilometresPerHour > 0, kilometresPerHour <= highestLimit else { return nil }
        return kilometresPerHour / 3.6
    }
}
