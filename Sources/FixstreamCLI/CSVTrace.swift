import FixstreamWire

/// A trace as comma-separated values: a header naming `lat`, `lon` and `t` or `time` columns (in any order,
/// any case, with other columns ignored; `accuracy` or `hdop` used when present), then one fix per line.
///
/// Times are epoch seconds or milliseconds, or RFC 3339 text. Fields may be double-quoted (no commas inside
/// quotes). A line that does not parse is skipped and counted, never fatal.
struct CSVTrace {
    /// The fixes read, in file order.
    private(set) var points: [TracePoint] = []
    /// Lines skipped: wrong field count, unreadable number or time, position off the Earth.
    private(set) var skipped = 0

    /// Parses a whole file.
    /// - Throws: ``CLIError`` when the header lacks a latitude, longitude or time column.
    init(bytes: [UInt8], path: String) throws {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)[...]
        guard let header = lines.popFirst() else { return }
        let names = Self.fields(header).map { String(decoding: $0, as: UTF8.self).lowercased() }
        func column(_ candidates: [String]) -> Int? { names.firstIndex { candidates.contains($0) } }
        guard let latitude = column(["lat", "latitude"]), let longitude = column(["lon", "lng", "longitude"]),
            let time = column(["t", "time", "timestamp"])
        else {
            throw CLIError(
                .usage,
                "'\(path)': the CSV header must name lat, lon and t (or time) columns; it has \(names.joined(separator: ","))"
            )
        }
        let accuracy = column(["accuracy", "acc"])
        let hdop = column(["hdop"])
        for line in lines {
            let fields = Self.fields(line)
            guard fields.count == names.count,
                let lat = fields[latitude].withUnsafeBytes({ DecimalParser.double($0) }),
                let lon = fields[longitude].withUnsafeBytes({ DecimalParser.double($0) }),
                let stamp = fields[time].withUnsafeBytes({ TimestampParser.any($0) }),
                Fix.isValidCoordinate(latitude: lat, longitude: lon)
            else {
                skipped += 1
                continue
            }
            points.append(
                TracePoint(
                    time: stamp,
                    latitude: lat,
                    longitude: lon,
                    accuracy: accuracy.flatMap { index in fields[index].withUnsafeBytes { DecimalParser.double($0) } },
                    hdop: hdop.flatMap { index in fields[index].withUnsafeBytes { DecimalParser.double($0) } }
                )
            )
        }
    }

    /// The fields of one line, without surrounding quotes, spaces or a trailing carriage return.
    private static func fields(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var line = line
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { field in
            var field = field
            while field.first == UInt8(ascii: " ") { field = field.dropFirst() }
            while field.last == UInt8(ascii: " ") { field = field.dropLast() }
            if field.count >= 2 && field.first == UInt8(ascii: "\"") && field.last == UInt8(ascii: "\"") {
                field = field.dropFirst().dropLast()
            }
            return field
        }
    }
}

/// One position of a trace to match.
struct TracePoint {
    var time: Timestamp
    var latitude: Double
    var longitude: Double
    var accuracy: Double?
    var hdop: Double?
}
