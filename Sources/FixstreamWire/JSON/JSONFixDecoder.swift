/// Decodes JSON position objects into fixes: Fixstream's native format, gpsd `TPV` reports and OwnTracks
/// `location` messages, told apart by their keys (`class` means gpsd, `_type` means OwnTracks).
///
/// Native: `{"id":"van-7","t":"2026-11-22T10:00:00.123Z","lat":..,"lon":..,"speed":..,"course":..,"alt":..,
/// "hdop":..,"sats":..,"acc":..}` with `vehicle`/`time` as synonyms of `id`/`t` (so `fixstream decode` output reads
/// back), `t` as RFC 3339 or epoch seconds or milliseconds, speed in m/s. Unknown keys are ignored. A missing or
/// malformed required field (time, lat, lon) rejects the object with a reason; so does a malformed numeric optional
/// (speed, course, altitude, HDOP, satellites, accuracy), rather than being silently dropped. Descriptive fields
/// (gpsd `mode`/`status` beyond the fix check, `quality`) fall back to unknown.
public struct JSONFixDecoder {
    private let defaultVehicle: VehicleID?

    /// Creates a decoder; `vehicle` names objects that carry no id of their own.
    public init(vehicle: VehicleID? = nil) {
        defaultVehicle = vehicle
    }

    /// Decodes one JSON object; appends a fix to `output` or counts why not.
    public func decodeObject(
        _ bytes: UnsafeRawBufferPointer,
        into output: inout [Fix],
        stats: inout DecodeStats
    ) {
        stats.jsonObjects += 1
        var scanner = JSONScanner(bytes)
        guard scanner.begin() else {
            stats.count(.malformedJSON)
            return
        }
        var f = JSONFields()
        loop: while true {
            switch scanner.next() {
            case .malformed:
                stats.count(.malformedJSON)
                return
            case .end:
                break loop
            case .member(let member):
                f.assign(member, key: JSONFields.pack(member.key))
            }
        }
        emit(f, into: &output, stats: &stats)
    }

    /// Decodes the object that starts at `chunk[start]` (a `{`) in one pass, straight from the chunk, when it is a
    /// plain one: appends a fix to `output` or counts why not, and returns the offset just past its closing brace.
    ///
    /// Returns `nil`, having counted and appended nothing, for anything else: an object not closed before `limit`,
    /// or one whose framing or reading is not plain (see ``JSONFastScanner``). The caller then frames the object
    /// with ``RecordFramer`` and hands it to ``decodeObject(_:into:stats:)``, which gives the same result for every
    /// object this function accepts.
    func decodeObject(
        in chunk: UnsafeRawBufferPointer,
        at start: Int,
        limit: Int,
        into output: inout [Fix],
        stats: inout DecodeStats
    ) -> Int? {
        var f = JSONFields()
        var scanner = JSONFastScanner(chunk, start: start, limit: limit)
        guard let end = scanner.scanObject(into: &f) else { return nil }
        stats.jsonObjects += 1
        emit(f, into: &output, stats: &stats)
        return end
    }

    /// Validates the fields of a well-formed object; appends the fix or counts why there is none.
    @inline(__always)
    private func emit(_ f: JSONFields, into output: inout [Fix], stats: inout DecodeStats) {
        switch build(f, into: &output) {
        case .appended:
            stats.fixes += 1
        case .reject(let reason):
            stats.count(reason)
        case .ignore:
            stats.count(.otherMessage)
        }
    }

    /// What ``build(_:into:)`` did. The fix goes straight into the output rather than through this enum, which
    /// cost two copies of it per object.
    private enum Outcome {
        case appended
        case reject(RejectReason)
        case ignore
    }

    private func build(_ f: JSONFields, into output: inout [Fix]) -> Outcome {
        switch f.dialect {
        case .gpsd:
            guard let type = f.messageType, type.kind == .string, JSONScanner.matches(type.value, "TPV") else {
                return .ignore
            }
            guard let mode = f.gpsdMode else { return .reject(.missingField) }
            guard case .value(let modeValue?) = number(mode) else { return .reject(.badValue) }
            guard modeValue >= 2 else { return .reject(.noFixReported) }
        case .owntracks:
            guard let type = f.messageType, type.kind == .string, JSONScanner.matches(type.value, "location") else {
                return .ignore
            }
        case .native:
            break
        }

        // Vehicle
        var vehicle = defaultVehicle
        if let id = f.id {
            switch id.kind {
            case .string, .number:
                let made = withUnsafeTemporaryAllocation(byteCount: VehicleID.capacity, alignment: 1) { buffer in
                    id.escaped
                        ? JSONScanner.unescape(id.value, into: buffer).flatMap { VehicleID(validating: $0) }
                        : VehicleID(validating: id.value)
                }
                guard let made else { return .reject(.badVehicleID) }
                vehicle = made
            case .null:
                break
            default:
                return .reject(.badVehicleID)
            }
        }

        // Time
        let timeMember = f.dialect == .owntracks ? f.epochSeconds : (f.time ?? f.shortT)
        guard let timeMember, timeMember.kind != .null else { return .reject(.missingField) }
        guard let time = timestamp(timeMember) else { return .reject(.badTime) }

        // Position
        guard let latMember = f.latitude, let lonMember = f.longitude else { return .reject(.missingField) }
        guard case .value(let latitude?) = number(latMember), case .value(let longitude?) = number(lonMember) else {
            return latMember.kind == .null || lonMember.kind == .null ? .reject(.missingField) : .reject(.badValue)
        }
        guard Fix.isValidCoordinate(latitude: latitude, longitude: longitude) else {
            return .reject(.badCoordinates)
        }
        guard let vehicle else { return .reject(.missingVehicleID) }
        var fix = Fix(vehicle: vehicle, time: time, latitude: latitude, longitude: longitude, source: .json)

        // Optional values: absent or null is unknown; a value of the wrong type rejects the object.
        switch f.dialect {
        case .native:
            fix.source = .json
            guard case .value(let speed) = number(f.speed) else { return .reject(.badValue) }
            fix.speed = nonNegative(speed)
        case .gpsd:
            fix.source = .gpsd
            guard case .value(let speed) = number(f.speed) else { return .reject(.badValue) }
            fix.speed = nonNegative(speed)
        case .owntracks:
            fix.source = .owntracks
            guard case .value(let kmh) = number(f.velocityKmh) else { return .reject(.badValue) }
            fix.speed = nonNegative(kmh).map { $0 / 3.6 }  // -1 means unknown
        }
        guard case .value(let course) = number(f.course) else { return .reject(.badValue) }
        if let course, course >= 0, course <= 360 { fix.course = Float(course.truncatingRemainder(dividingBy: 360)) }
        guard case .value(let altitudeMSL) = number(f.altitudeMSL), case .value(let altitude) = number(f.altitude)
        else { return .reject(.badValue) }
        fix.altitude = altitudeMSL ?? altitude
        guard case .value(let hdop) = number(f.hdop), case .value(let satellites) = number(f.satellites),
            case .value(let accuracy) = number(f.accuracy)
        else { return .reject(.badValue) }
        fix.hdop = nonNegative(hdop)
        if let satellites, satellites >= 0 { fix.satellites = UInt8(min(satellites, 255)) }
        fix.accuracy = nonNegative(accuracy)
        if case .value(let mode?) = number(f.gpsdMode) {
            fix.mode = mode >= 3 ? .threeD : (mode >= 2 ? .twoD : .unknown)
        }
        if f.dialect == .gpsd, case .value(let status?) = number(f.gpsdStatus) {
            fix.quality = Self.gpsdQuality(Int(status))
        } else if let quality = f.quality, quality.kind == .string {
            fix.quality = FixQuality(name: quality.value)
        } else if f.dialect == .gpsd {
            fix.quality = .autonomous
        }
        output.append(fix)
        return .appended
    }

    /// gpsd's TPV `status`: 1 GPS, 2 DGPS, 3 RTK fixed, 4 RTK float, 5 dead reckoning, 6 GNSS+DR, 8 simulated.
    private static func gpsdQuality(_ status: Int) -> FixQuality {
        switch status {
        case 2: .differential
        case 3: .rtkFixed
        case 4: .rtkFloat
        case 5, 6: .estimated
        case 8: .simulated
        default: .autonomous
        }
    }

    private func nonNegative(_ value: Double?) -> Float? {
        guard let value, value >= 0 else { return nil }
        return Float(value)
    }

    private enum NumberResult {
        case value(Double?)
        case bad
    }

    /// A member's numeric value: a JSON number or a numeric string (senders quote numbers); null or absent is
    /// `.value(nil)`, anything else `.bad`.
    private func number(_ member: JSONScanner.Member?) -> NumberResult {
        guard let member else { return .value(nil) }
        switch member.kind {
        case .null: return .value(nil)
        case .number, .string:
            guard let value = DecimalParser.double(member.value), value.isFinite else { return .bad }
            return .value(value)
        default: return .bad
        }
    }

    /// A time member: epoch seconds or milliseconds (number or numeric string) or RFC 3339 text.
    private func timestamp(_ member: JSONScanner.Member) -> Timestamp? {
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
}
