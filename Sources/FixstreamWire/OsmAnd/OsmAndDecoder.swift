/// Decodes the OsmAnd HTTP protocol that phone trackers (Traccar Client, OsmAnd, GPSLogger, ...) send.
///
/// Two variants reach the same endpoint:
///
/// - **Query or form**: `?id=van-7&lat=46.1&lon=7.5&timestamp=1700000000&speed=12&bearing=90&altitude=400&accuracy=5`
///   in the URL, or the same pairs as an `application/x-www-form-urlencoded` body. `id` or `deviceid` names the
///   vehicle; `lat` and `lon` (or `location=lat,lon`) the position; `timestamp` is epoch seconds, epoch
///   milliseconds (values of 1e11 and more), RFC 3339 or `yyyy-MM-dd HH:mm:ss` (UTC), percent-encoded or not (an
///   offset's `+` that arrived unencoded, and so decodes to a space, is put back); `speed` is in **knots**;
///   `bearing` or `heading` is the course; `altitude`, `accuracy` and `hdop` as named; `valid=false` or `0` rejects
///   the report with ``RejectReason/statusVoid``. Other parameters (`batt`, `charge`, `driverUniqueId`, ...) are
///   ignored; when a parameter repeats, the last one counts.
/// - **JSON** (Transistorsoft background-geolocation, sent by Traccar Client 7 and later):
///   `{"device_id":"van-7","location":{"timestamp":"2026-11-22T10:00:00.123Z","coords":{"latitude":46.1,
///   "longitude":7.5,"speed":3.2,"heading":90,"altitude":400,"accuracy":5},...}}`, speed in **m/s**; a negative
///   speed or heading (the format writes -1) means unknown. Unknown members at any depth are skipped. A
///   `location` array (the format's batch mode) is refused with ``RejectReason/badValue``.
///
/// In both, a missing timestamp means "now": the caller passes its wall clock. Rejects: no id
/// ``RejectReason/missingVehicleID``; an id ``VehicleID/init(validating:)`` refuses ``RejectReason/badVehicleID``;
/// an unreadable time ``RejectReason/badTime``; no latitude or longitude ``RejectReason/missingField``; a number that
/// does not parse (or a value of the wrong JSON type) ``RejectReason/badValue``; coordinates out of range
/// ``RejectReason/badCoordinates`` (0,0 is accepted: a later filter decides); broken JSON
/// ``RejectReason/malformedJSON`` (members we skip are only checked for balanced brackets and quotes). Reports of
/// ordinary size decode without allocating: values are read in place and decoded into stack scratch space.
public struct OsmAndDecoder: Sendable {
    /// Knots to metres per second: one knot is exactly 1852 m per hour.
    public static let metersPerSecondPerKnot = 1852.0 / 3600.0

    /// Creates a decoder.
    public init() {}

    /// Decodes a request the way the OsmAnd endpoint receives it: a JSON body if the body is JSON, otherwise the
    /// query's parameters, otherwise the body's form parameters.
    ///
    /// - Parameters:
    ///   - query: the request target's query, without `?` (empty when there is none).
    ///   - body: the request body (empty for a `GET`).
    ///   - now: the server's wall clock, used when the report carries no time.
    public func decode(query: UnsafeRawBufferPointer, body: UnsafeRawBufferPointer, now: Timestamp) -> OsmAndResult {
        let first = Self.firstNonSpace(body)
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return decodeJSON(body, now: now) }
        var parameters = FormFields(query).makeIterator()
        return parameters.next() != nil ? decodeForm(query, now: now) : decodeForm(body, now: now)
    }

    // MARK: Query and form

    /// The encoded values of the parameters we use.
    private struct Parameters {
        var id: UnsafeRawBufferPointer?
        var latitude: UnsafeRawBufferPointer?
        var longitude: UnsafeRawBufferPointer?
        var location: UnsafeRawBufferPointer?
        var timestamp: UnsafeRawBufferPointer?
        var speed: UnsafeRawBufferPointer?
        var course: UnsafeRawBufferPointer?
        var altitude: UnsafeRawBufferPointer?
        var accuracy: UnsafeRawBufferPointer?
        var hdop: UnsafeRawBufferPointer?
        var valid: UnsafeRawBufferPointer?
    }

    /// Decodes a query string (without `?`) or a form body.
    ///
    /// - Parameters:
    ///   - bytes: `name=value` pairs joined by `&`, percent-encoded.
    ///   - now: the server's wall clock, used when there is no `timestamp`.
    public func decodeForm(_ bytes: UnsafeRawBufferPointer, now: Timestamp) -> OsmAndResult {
        var p = Parameters()
        for field in FormFields(bytes) {
            let name = field.name
            if FormFields.name(name, is: "id") || FormFields.name(name, is: "deviceid") {
                p.id = field.value
            } else if FormFields.name(name, is: "lat") {
                p.latitude = field.value
            } else if FormFields.name(name, is: "lon") {
                p.longitude = field.value
            } else if FormFields.name(name, is: "timestamp") {
                p.timestamp = field.value
            } else if FormFields.name(name, is: "speed") {
                p.speed = field.value
            } else if FormFields.name(name, is: "bearing") || FormFields.name(name, is: "heading") {
                p.course = field.value
            } else if FormFields.name(name, is: "altitude") {
                p.altitude = field.value
            } else if FormFields.name(name, is: "accuracy") {
                p.accuracy = field.value
            } else if FormFields.name(name, is: "hdop") {
                p.hdop = field.value
            } else if FormFields.name(name, is: "location") {
                p.location = field.value
            } else if FormFields.name(name, is: "valid") {
                p.valid = field.value
            }
        }
        return build(p, now: now)
    }

    private func build(_ p: Parameters, now: Timestamp) -> OsmAndResult {
        // Vehicle
        guard let idValue = p.id, !idValue.isEmpty else { return .rejected(.missingVehicleID) }
        guard let vehicle = FormFields.withDecoded(idValue, { VehicleID(validating: $0) }) else {
            return .rejected(.badVehicleID)
        }

        // Validity
        if let valid = p.valid {
            switch FormFields.withDecoded(valid, Self.flag) {
            case true?: break
            case false?: return .rejected(.statusVoid)
            case nil: return .rejected(.badValue)
            }
        }

        // Time
        var time = now
        if let timestamp = p.timestamp {
            guard let parsed = Self.formTimestamp(timestamp) else { return .rejected(.badTime) }
            time = parsed
        }

        // Position
        let latitude: Double
        let longitude: Double
        if let latValue = p.latitude, let lonValue = p.longitude, !latValue.isEmpty, !lonValue.isEmpty {
            guard let lat = FormFields.withDecoded(latValue, DecimalParser.double),
                let lon = FormFields.withDecoded(lonValue, DecimalParser.double)
            else { return .rejected(.badValue) }
            latitude = lat
            longitude = lon
        } else if let location = p.location, !location.isEmpty {
            guard let pair = FormFields.withDecoded(location, Self.coordinatePair) else { return .rejected(.badValue) }
            (latitude, longitude) = pair
        } else {
            return .rejected(.missingField)
        }
        guard Fix.isValidCoordinate(latitude: latitude, longitude: longitude) else {
            return .rejected(.badCoordinates)
        }
        var fix = Fix(vehicle: vehicle, time: time, latitude: latitude, longitude: longitude, source: .osmand)

        // Optional values: absent or empty is unknown; a value that is not a number rejects the report.
        guard case .value(let knots) = Self.formNumber(p.speed), case .value(let course) = Self.formNumber(p.course),
            case .value(let altitude) = Self.formNumber(p.altitude),
            case .value(let accuracy) = Self.formNumber(p.accuracy), case .value(let hdop) = Self.formNumber(p.hdop)
        else { return .rejected(.badValue) }
        fix.speed = Self.nonNegative(knots.map { $0 * Self.metersPerSecondPerKnot })
        fix.course = Self.course(course)
        fix.altitude = altitude
        fix.accuracy = Self.nonNegative(accuracy)
        fix.hdop = Self.nonNegative(hdop)
        return .fix(fix)
    }

    /// `true`/`1` or `false`/`0` (letters in any case); `nil` for anything else.
    private static func flag(_ bytes: UnsafeRawBufferPointer) -> Bool? {
        if bytes.count == 1 {
            switch bytes[0] {
            case UInt8(ascii: "1"): return true
            case UInt8(ascii: "0"): return false
            default: return nil
            }
        }
        if equalsIgnoringCase(bytes, "true") { return true }
        if equalsIgnoringCase(bytes, "false") { return false }
        return nil
    }

    /// `lat,lon` (spaces around the numbers allowed).
    private static func coordinatePair(_ bytes: UnsafeRawBufferPointer) -> (Double, Double)? {
        guard let comma = bytes.firstIndex(of: UInt8(ascii: ",")) else { return nil }
        guard let latitude = DecimalParser.double(trimmed(bytes, 0, comma)),
            let longitude = DecimalParser.double(trimmed(bytes, comma + 1, bytes.count))
        else { return nil }
        return (latitude, longitude)
    }

    /// A `timestamp` parameter: epoch seconds or milliseconds, or RFC 3339 / `yyyy-MM-dd HH:mm:ss` text.
    private static func formTimestamp(_ encoded: UnsafeRawBufferPointer) -> Timestamp? {
        guard !encoded.isEmpty else { return nil }
        return withUnsafeTemporaryAllocation(byteCount: encoded.count, alignment: 1) { scratch in
            let decoded = FormFields.decode(encoded, into: scratch)!
            if let number = DecimalParser.double(decoded) { return TimestampParser.epoch(number) }
            // An offset sent as a raw `+` decodes to a space; past the seconds a space can only be that sign.
            if decoded.count > 19 {
                for index in 19 ..< decoded.count where scratch[index] == UInt8(ascii: " ") {
                    scratch[index] = UInt8(ascii: "+")
                }
            }
            return TimestampParser.rfc3339(decoded)
        }
    }

    private enum NumberValue {
        case value(Double?)
        case bad
    }

    /// An optional numeric parameter: absent or empty is `nil`; not a finite number is `.bad`.
    private static func formNumber(_ encoded: UnsafeRawBufferPointer?) -> NumberValue {
        guard let encoded, !encoded.isEmpty else { return .value(nil) }
        guard let value = FormFields.withDecoded(encoded, DecimalParser.double), value.isFinite else { return .bad }
        return .value(value)
    }

    // MARK: JSON

    /// The members we use, from the three levels of a Transistorsoft report.
    private struct JSONMembers {
        var deviceID: JSONScanner.Member?
        var location: JSONScanner.Member?
        var timestamp: JSONScanner.Member?
        var coords: JSONScanner.Member?
        var latitude: JSONScanner.Member?
        var longitude: JSONScanner.Member?
        var speed: JSONScanner.Member?
        var heading: JSONScanner.Member?
        var altitude: JSONScanner.Member?
        var accuracy: JSONScanner.Member?
    }

    /// Decodes a Transistorsoft background-geolocation JSON report.
    ///
    /// - Parameters:
    ///   - bytes: one JSON object (surrounding whitespace allowed).
    ///   - now: the server's wall clock, used when the location has no `timestamp`.
    public func decodeJSON(_ bytes: UnsafeRawBufferPointer, now: Timestamp) -> OsmAndResult {
        var m = JSONMembers()

        // Top level: device_id and location. An array is the format's batch mode, which we do not take.
        if Self.firstNonSpace(bytes) == UInt8(ascii: "[") { return .rejected(.badValue) }
        let topIsWellFormed = Self.scanObject(bytes) { member in
            if JSONScanner.matches(member.key, "device_id") || JSONScanner.matches(member.key, "id") {
                m.deviceID = member
            } else if JSONScanner.matches(member.key, "location") {
                m.location = member
            }
        }
        guard topIsWellFormed else { return .rejected(.malformedJSON) }

        // location: timestamp and coords.
        guard let location = m.location, location.kind != .null else { return .rejected(.missingField) }
        guard location.kind == .nested, location.value.first == UInt8(ascii: "{") else {
            return .rejected(.badValue)
        }
        let locationIsWellFormed = Self.scanObject(location.value) { member in
            if JSONScanner.matches(member.key, "timestamp") {
                m.timestamp = member
            } else if JSONScanner.matches(member.key, "coords") {
                m.coords = member
            }
        }
        guard locationIsWellFormed else { return .rejected(.malformedJSON) }

        // coords: the position and motion.
        if let coords = m.coords, coords.kind != .null {
            guard coords.kind == .nested, coords.value.first == UInt8(ascii: "{") else { return .rejected(.badValue) }
            let coordsAreWellFormed = Self.scanObject(coords.value) { member in
                switch member.key.count {
                case 5 where JSONScanner.matches(member.key, "speed"): m.speed = member
                case 7 where JSONScanner.matches(member.key, "heading"): m.heading = member
                case 8 where JSONScanner.matches(member.key, "latitude"): m.latitude = member
                case 8 where JSONScanner.matches(member.key, "altitude"): m.altitude = member
                case 8 where JSONScanner.matches(member.key, "accuracy"): m.accuracy = member
                case 9 where JSONScanner.matches(member.key, "longitude"): m.longitude = member
                default: break
                }
            }
            guard coordsAreWellFormed else { return .rejected(.malformedJSON) }
        }
        return build(m, now: now)
    }

    private func build(_ m: JSONMembers, now: Timestamp) -> OsmAndResult {
        // Vehicle
        guard let id = m.deviceID, id.kind != .null, !id.value.isEmpty else { return .rejected(.missingVehicleID) }
        guard id.kind == .string || id.kind == .number else { return .rejected(.badVehicleID) }
        let vehicle = withUnsafeTemporaryAllocation(byteCount: VehicleID.capacity, alignment: 1) { buffer in
            id.escaped
                ? JSONScanner.unescape(id.value, into: buffer).flatMap { VehicleID(validating: $0) }
                : VehicleID(validating: id.value)
        }
        guard let vehicle else { return .rejected(.badVehicleID) }

        // Time
        var time = now
        if let timestamp = m.timestamp, timestamp.kind != .null {
            guard let parsed = Self.jsonTimestamp(timestamp) else { return .rejected(.badTime) }
            time = parsed
        }

        // Position
        guard let latMember = m.latitude, let lonMember = m.longitude, latMember.kind != .null,
            lonMember.kind != .null
        else { return .rejected(.missingField) }
        guard case .value(let latitude?) = Self.jsonNumber(latMember),
            case .value(let longitude?) = Self.jsonNumber(lonMember)
        else { return .rejected(.badValue) }
        guard Fix.isValidCoordinate(latitude: latitude, longitude: longitude) else {
            return .rejected(.badCoordinates)
        }
        var fix = Fix(vehicle: vehicle, time: time, latitude: latitude, longitude: longitude, source: .osmand)

        // Optional values: absent or null is unknown, negative speed and heading too (the format's -1).
        guard case .value(let speed) = Self.jsonNumber(m.speed), case .value(let heading) = Self.jsonNumber(m.heading),
            case .value(let altitude) = Self.jsonNumber(m.altitude),
            case .value(let accuracy) = Self.jsonNumber(m.accuracy)
        else { return .rejected(.badValue) }
        fix.speed = Self.nonNegative(speed)
        fix.course = Self.course(heading)
        fix.altitude = altitude
        fix.accuracy = Self.nonNegative(accuracy)
        return .fix(fix)
    }

    /// Reads every member of one JSON object, handing each to `take`; `false` when the text is not a well-formed
    /// object (members that are themselves objects or arrays are only checked for balance).
    private static func scanObject(_ bytes: UnsafeRawBufferPointer, _ take: (JSONScanner.Member) -> Void) -> Bool {
        var scanner = JSONScanner(bytes)
        guard scanner.begin() else { return false }
        while true {
            switch scanner.next() {
            case .member(let member): take(member)
            case .end: return true
            case .malformed: return false
            }
        }
    }

    /// A numeric member: a JSON number or a numeric string; null or absent is `nil`, anything else `.bad`.
    private static func jsonNumber(_ member: JSONScanner.Member?) -> NumberValue {
        guard let member else { return .value(nil) }
        switch member.kind {
        case .null: return .value(nil)
        case .number, .string:
            guard let value = DecimalParser.double(member.value), value.isFinite else { return .bad }
            return .value(value)
        default: return .bad
        }
    }

    /// A `timestamp` member: RFC 3339 text, or epoch seconds or milliseconds as a number or numeric string.
    private static func jsonTimestamp(_ member: JSONScanner.Member) -> Timestamp? {
        switch member.kind {
        case .number:
            return DecimalParser.double(member.value).flatMap(TimestampParser.epoch)
        case .string:
            guard member.escaped else { return TimestampParser.any(member.value) }
            return withUnsafeTemporaryAllocation(byteCount: 64, alignment: 1) { buffer in
                JSONScanner.unescape(member.value, into: buffer).flatMap(TimestampParser.any)
            }
        default:
            return nil
        }
    }

    // MARK: Shared

    private static func nonNegative(_ value: Double?) -> Float? {
        guard let value, value >= 0 else { return nil }
        return Float(value)
    }

    /// A course in degrees 0...360 (360 read as 0); anything else, such as the -1 for unknown, is `nil`.
    private static func course(_ value: Double?) -> Float? {
        guard let value, value >= 0, value <= 360 else { return nil }
        return Float(value.truncatingRemainder(dividingBy: 360))
    }

    /// The first byte that is not JSON whitespace, or `nil`.
    private static func firstNonSpace(_ bytes: UnsafeRawBufferPointer) -> UInt8? {
        for byte in bytes where !(byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09) { return byte }
        return nil
    }

    private static func trimmed(_ bytes: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
        var start = from
        var end = to
        while start < end, bytes[start] == UInt8(ascii: " ") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start ..< end])
    }

    private static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let p = text.utf8Start
        for index in 0 ..< bytes.count where bytes[index] | 0x20 != p[index] { return false }
        return true
    }
}
