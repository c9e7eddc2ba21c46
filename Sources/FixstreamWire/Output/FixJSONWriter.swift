/// Writes fixes as JSON lines, straight into a byte buffer.
///
/// `{"vehicle":"van-7","time":"2026-11-22T10:00:00.123Z","lat":46.12345678,"lon":7.12345678,"speed":12.345,
/// "course":181.25,"alt":412.300,"hdop":0.90,"sats":9,"acc":4.50,"quality":"gps","mode":3}` with absent values
/// left out. Latitude and longitude have 8 decimals (about a millimetre). No String, no Foundation, no allocation
/// once the buffer has grown to its working size.
public enum FixJSONWriter {
    /// Appends one fix and a line feed to `out`.
    public static func append(_ fix: Fix, to out: inout [UInt8]) {
        literal("{\"vehicle\":\"", to: &out)
        fix.vehicle.withUnsafeBytes { out.append(contentsOf: $0) }
        literal("\",\"time\":\"", to: &out)
        appendTime(fix.time, to: &out)
        literal("\",\"lat\":", to: &out)
        appendFixed(fix.latitude, decimals: 8, to: &out)
        literal(",\"lon\":", to: &out)
        appendFixed(fix.longitude, decimals: 8, to: &out)
        if let speed = fix.speed {
            literal(",\"speed\":", to: &out)
            appendFixed(Double(speed), decimals: 3, to: &out)
        }
        if let course = fix.course {
            literal(",\"course\":", to: &out)
            appendFixed(Double(course), decimals: 2, to: &out)
        }
        if let altitude = fix.altitude {
            literal(",\"alt\":", to: &out)
            appendFixed(altitude, decimals: 3, to: &out)
        }
        if let hdop = fix.hdop {
            literal(",\"hdop\":", to: &out)
            appendFixed(Double(hdop), decimals: 2, to: &out)
        }
        if let satellites = fix.satellites {
            literal(",\"sats\":", to: &out)
            appendInteger(Int64(satellites), to: &out)
        }
        if let accuracy = fix.accuracy {
            literal(",\"acc\":", to: &out)
            appendFixed(Double(accuracy), decimals: 2, to: &out)
        }
        if fix.quality != .unknown {
            literal(",\"quality\":\"", to: &out)
            literal(fix.quality.name, to: &out)
            out.append(UInt8(ascii: "\""))
        }
        switch fix.mode {
        case .twoD: literal(",\"mode\":2", to: &out)
        case .threeD: literal(",\"mode\":3", to: &out)
        case .unknown: break
        }
        literal("}\n", to: &out)
    }

    @inline(__always)
    private static func literal(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    private static func literal(_ text: String, to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }

    /// Appends `2026-11-22T10:00:00.123Z`.
    public static func appendTime(_ time: Timestamp, to out: inout [UInt8]) {
        let (year, month, day) = Timestamp.civil(days: time.day)
        let ms = time.millisecondOfDay
        appendDigits(year, count: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(ms / 3_600_000, count: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(ms / 60_000 % 60, count: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(ms / 1000 % 60, count: 2, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(ms % 1000, count: 3, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    @inline(__always)
    private static func appendDigits(_ value: Int64, count: Int, to out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1 ..< count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends a signed integer in decimal.
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = 0
            repeat {
                digits[n] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
                n += 1
            } while magnitude > 0
            while n > 0 {
                n -= 1
                out.append(digits[n])
            }
        }
    }

    private static let scales: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]
    private static let integerScales: [UInt64] = [
        1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000,
    ]

    /// Appends `value` rounded to `decimals` (0...9) places, always with that many decimals.
    public static func appendFixed(_ value: Double, decimals: Int, to out: inout [UInt8]) {
        let scaled = (value * scales[decimals]).rounded()
        guard scaled.isFinite, scaled.magnitude < 9e18 else {
            out.append(contentsOf: "null".utf8)
            return
        }
        let integer = Int64(scaled)
        if integer < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = integer.magnitude
        let unit = integerScales[decimals]
        appendInteger(Int64(magnitude / unit), to: &out)
        guard decimals > 0 else { return }
        out.append(UInt8(ascii: "."))
        var fraction = magnitude % unit
        var divisor = unit / 10
        while divisor > 0 {
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }
}
