/// Decodes NMEA 0183 text lines into fixes, one epoch per fix, for any number of vehicles.
///
/// Feed it lines (without line ends) with ``decodeLine(_:into:stats:)`` and call ``finish(into:stats:)`` at the
/// end of the stream. The vehicle of a line is, in order: an id prefix (`<id>,$GPRMC,...`), the id set by the
/// latest `$PFXID,<id>*hh` sentence, the default given at creation. Each vehicle has its own epoch and date state,
/// so interleaved streams of several receivers assemble correctly.
public struct NMEADecoder {
    /// Most vehicles tracked at once; past it, every idle vehicle's open epoch is flushed and its state dropped.
    public static let maxVehicles = 100_000

    private var current: NMEAVehicleState
    /// Vehicles not on the current line, with when they were parked (to flush them in a stable order).
    private var parked: [VehicleID: (state: NMEAVehicleState, parkedAt: Int)] = [:]
    private var parkings = 0
    /// The id set by `$PFXID` or given from outside, used by lines without a prefix.
    private var streamVehicle: VehicleID?
    /// The id given from outside, which `$PFXID` overrides until ``resetStreamVehicle()``.
    private let defaultVehicle: VehicleID?

    /// Creates a decoder; `vehicle` names fixes of lines that carry no id of their own.
    public init(vehicle: VehicleID? = nil) {
        streamVehicle = vehicle
        defaultVehicle = vehicle
        current = NMEAVehicleState(vehicle: vehicle)
    }

    /// Forgets the id a `$PFXID` sentence set and the current vehicle's state (call after ``finish(into:stats:)``,
    /// which emitted it): lines without a prefix belong to the default id again.
    public mutating func resetStreamVehicle() {
        streamVehicle = defaultVehicle
        current = NMEAVehicleState(vehicle: defaultVehicle)
    }

    /// Decodes one line: appends the fixes of epochs it completes to `output` and counts what it saw.
    public mutating func decodeLine(
        _ line: UnsafeRawBufferPointer,
        into output: inout [Fix],
        stats: inout DecodeStats
    ) {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * NMEASentence.maxFields) { offsets in
            decodeLine(line, offsets: offsets.baseAddress!, into: &output, stats: &stats)
        }
    }

    private mutating func decodeLine(
        _ line: UnsafeRawBufferPointer,
        offsets: UnsafeMutablePointer<Int32>,
        into output: inout [Fix],
        stats: inout DecodeStats
    ) {
        let count = line.count
        var start = 0
        while start < count && (line[start] == 0x20 || line[start] == 0x09 || line[start] == 0) { start += 1 }
        guard start < count else { return }
        if line[start] == UInt8(ascii: "#") {
            stats.count(.comment)
            return
        }
        var i = start
        while i < count && line[i] != UInt8(ascii: "$") && line[i] != UInt8(ascii: "!") { i += 1 }
        guard i < count else {
            decodeWithoutDollar(
                UnsafeRawBufferPointer(rebasing: line[start...]),
                offsets: offsets,
                into: &output,
                stats: &stats
            )
            return
        }
        if line[i] == UInt8(ascii: "!") {
            stats.count(.ais)
            return
        }
        let lineVehicle = prefixVehicle(UnsafeRawBufferPointer(rebasing: line[start ..< i]))
        if case .invalid = lineVehicle {
            stats.count(.badVehicleID)
            return
        }
        while i < count {
            // Skip to the sentence start; doubled `$$` and junk between run-together sentences are passed over.
            while i < count && line[i] != UInt8(ascii: "$") { i += 1 }
            while i < count && line[i] == UInt8(ascii: "$") { i += 1 }
            guard i < count else { return }
            switch NMEASentence.scan(line, from: i, offsets: offsets) {
            case .badChecksum(let end):
                stats.count(.badChecksum)
                i = end
            case .malformed(let end):
                stats.count(.malformedSentence)
                i = end
            case .sentence(let sentence, let hasChecksum, let end):
                if !hasChecksum { stats.sentencesWithoutChecksum += 1 }
                if case .id(let vehicle) = lineVehicle {
                    select(vehicle, into: &output, stats: &stats)
                } else if current.vehicle != streamVehicle, let streamVehicle {
                    select(streamVehicle, into: &output, stats: &stats)
                }
                handle(sentence, into: &output, stats: &stats)
                i = end
            }
        }
    }

    /// Some trackers embed sentences without their `$` (`GPRMC,150120.000,A,...*76`). Such a line is taken as a
    /// sentence only if it starts with a five-letter address and carries a correct checksum; otherwise it is
    /// unrecognized.
    private mutating func decodeWithoutDollar(
        _ line: UnsafeRawBufferPointer,
        offsets: UnsafeMutablePointer<Int32>,
        into output: inout [Fix],
        stats: inout DecodeStats
    ) {
        guard line.count > 6, line[5] == UInt8(ascii: ","), (0 ..< 5).allSatisfy({ isUpper(line[$0]) }),
            case .sentence(let sentence, true, _) = NMEASentence.scan(line, from: 0, offsets: offsets)
        else {
            stats.count(.unrecognized)
            return
        }
        if current.vehicle != streamVehicle, let streamVehicle {
            select(streamVehicle, into: &output, stats: &stats)
        }
        handle(sentence, into: &output, stats: &stats)
    }

    private enum PrefixVehicle {
        case none
        case id(VehicleID)
        case invalid
    }

    /// Reads an `<id>,` prefix. Bytes that do not end in a comma are junk before the sentence and are ignored.
    private func prefixVehicle(_ prefix: UnsafeRawBufferPointer) -> PrefixVehicle {
        guard let last = prefix.last, last == UInt8(ascii: ",") else { return .none }
        var from = 0
        while from < prefix.count - 1 && !VehicleID.isIDByte(prefix[from]) { from += 1 }
        let idBytes = UnsafeRawBufferPointer(rebasing: prefix[from ..< prefix.count - 1])
        guard !idBytes.isEmpty else { return .none }
        guard let vehicle = VehicleID(validating: idBytes) else { return .invalid }
        return .id(vehicle)
    }

    /// Makes `vehicle`'s state current, parking the previous one.
    private mutating func select(_ vehicle: VehicleID, into output: inout [Fix], stats: inout DecodeStats) {
        guard current.vehicle != vehicle else { return }
        let next = parked.removeValue(forKey: vehicle)?.state ?? NMEAVehicleState(vehicle: vehicle)
        let previous = current
        current = next
        guard previous.vehicle != nil else {
            // An anonymous state holds nothing worth keeping once ids appear; flush it.
            var anonymous = previous
            anonymous.finish(into: &output, stats: &stats)
            return
        }
        if parked.count >= Self.maxVehicles { finishParked(into: &output, stats: &stats) }
        parkings += 1
        parked[previous.vehicle!] = (previous, parkings)
    }

    /// Completes every parked vehicle's open epoch, least recently used first, and forgets them.
    private mutating func finishParked(into output: inout [Fix], stats: inout DecodeStats) {
        guard !parked.isEmpty else { return }  // the usual case, once per datagram: no sorted copy
        for (_, entry) in parked.sorted(by: { $0.value.parkedAt < $1.value.parkedAt }) {
            var state = entry.state
            state.finish(into: &output, stats: &stats)
        }
        parked.removeAll()
    }

    /// Ends the stream: every vehicle's open epoch is completed and emitted, the current vehicle's last.
    public mutating func finish(into output: inout [Fix], stats: inout DecodeStats) {
        finishParked(into: &output, stats: &stats)
        current.finish(into: &output, stats: &stats)
    }

    // MARK: Sentences

    private mutating func handle(_ s: NMEASentence, into output: inout [Fix], stats: inout DecodeStats) {
        let address = s[0]
        if address.count >= 1 && address[0] == UInt8(ascii: "P") {
            if address.count == 5 && address[1] == UInt8(ascii: "F") && address[2] == UInt8(ascii: "X")
                && address[3] == UInt8(ascii: "I") && address[4] == UInt8(ascii: "D")
            {
                stats.sentences += 1
                guard let vehicle = VehicleID(validating: s[1]) else {
                    stats.count(.badVehicleID)
                    return
                }
                streamVehicle = vehicle
                select(vehicle, into: &output, stats: &stats)
            } else {
                stats.count(.proprietary)
            }
            return
        }
        guard address.count == 5, isUpper(address[0]), isUpper(address[1]) else {
            stats.count(.malformedSentence)
            return
        }
        stats.sentences += 1
        current.tick()
        let type = NMEASentenceType(address[2], address[3], address[4])
        let outcome: Result<Void, NMEAFieldError>
        switch type {
        case .rmc: outcome = rmc(s, into: &output, stats: &stats)
        case .gga: outcome = gga(s, into: &output, stats: &stats)
        case .gll: outcome = gll(s, into: &output, stats: &stats)
        case .gns: outcome = gns(s, into: &output, stats: &stats)
        case .gsa: outcome = gsa(s)
        case .vtg: outcome = vtg(s)
        case .zda: outcome = zda(s, into: &output, stats: &stats)
        default:
            stats.count(.otherSentence)
            return
        }
        if case .failure(let error) = outcome {
            stats.count(error.reason)
        }
    }

    private func isUpper(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "A") < 26 || byte &- UInt8(ascii: "0") < 10
    }

    /// Reads the time field and opens (or continues) its epoch.
    ///
    /// Receivers without a fix often leave the time empty too (`$GPGGA,,,,,,0,...`): such a sentence is counted as
    /// the invalid fix it reports (`noFix`), and `false` is returned so the caller stops. An empty time in a sentence
    /// that claims a fix is a bad time.
    private mutating func begin(
        _ type: NMEASentenceType,
        _ s: NMEASentence,
        timeField: Int,
        noFix: RejectReason?,
        into output: inout [Fix],
        stats: inout DecodeStats
    ) -> Result<Bool, NMEAFieldError> {
        switch NMEAField.timeOfDay(s[timeField]) {
        case .failure(let error): return .failure(error)
        case .success(nil):
            guard let noFix else { return .failure(.badTime) }
            stats.count(noFix)
            current.noFixWithoutTime(into: &output, stats: &stats)
            return .success(false)
        case .success(let time?):
            current.beginTimed(type, timeOfDay: time, into: &output, stats: &stats)
            return .success(true)
        }
    }

    /// Reads a coordinate pair and offers it to the open epoch. Bad coordinates make the whole epoch invalid, so
    /// they are counted once, when it closes.
    private mutating func position(_ s: NMEASentence, at index: Int) -> Result<Void, NMEAFieldError> {
        let latitude: (degrees: Double, digits: Int)?
        let longitude: (degrees: Double, digits: Int)?
        switch (
            NMEAField.coordinate(s[index], s[index + 1], isLatitude: true),
            NMEAField.coordinate(s[index + 2], s[index + 3], isLatitude: false)
        ) {
        case (.success(let lat), .success(let lon)):
            latitude = lat
            longitude = lon
        case (.failure(let error), _), (_, .failure(let error)):
            current.withEpoch { $0.markInvalid(error.reason) }
            return .success(())
        }
        guard let latitude, let longitude else {
            // Receivers without a fix leave the position empty; the validity flags say why.
            if latitude != nil || longitude != nil { current.withEpoch { $0.markInvalid(.missingCoordinates) } }
            return .success(())
        }
        current.withEpoch {
            $0.offer(latitude: latitude.degrees, longitude: longitude.degrees, digits: latitude.digits)
        }
        return .success(())
    }

    private static let knotsToMetresPerSecond = 1852.0 / 3600.0

    private mutating func rmc(
        _ s: NMEASentence,
        into output: inout [Fix],
        stats: inout DecodeStats
    ) -> Result<Void, NMEAFieldError> {
        guard s.count >= 10 else { return .failure(.malformed) }
        // Read everything before touching the epoch so a malformed sentence changes nothing.
        let status = s.character(2)
        let mode = s.count > 12 ? s.character(12) : 0
        guard case .success(let time) = NMEAField.timeOfDay(s[1]) else { return .failure(.badTime) }
        guard let time else {
            guard status != UInt8(ascii: "A") else { return .failure(.badTime) }
            stats.count(.statusVoid)
            current.noFixWithoutTime(into: &output, stats: &stats)
            return .success(())
        }
        guard case .success(let day) = NMEAField.date(s[9]) else { return .failure(.badTime) }
        guard case .success(let knots) = NMEAField.number(s[7]), case .success(let course) = NMEAField.number(s[8])
        else { return .failure(.malformed) }
        current.beginTimed(.rmc, timeOfDay: time, into: &output, stats: &stats)
        if let day {
            current.withEpoch { $0.day = day }
        }
        let placed = position(s, at: 3)
        current.withEpoch { epoch in
            if status != UInt8(ascii: "A") { epoch.markInvalid(.statusVoid) }
            if mode != 0 { epoch.offer(modeIndicator: mode) }
            if let knots { epoch.speed = Float(knots * Self.knotsToMetresPerSecond) }
            if let course { epoch.course = Float(course) }
        }
        if let day {
            current.date(day: day, timeOfDay: time, into: &output, stats: &stats)
        }
        return placed
    }

    private mutating func gga(
        _ s: NMEASentence,
        into output: inout [Fix],
        stats: inout DecodeStats
    ) -> Result<Void, NMEAFieldError> {
        guard s.count >= 10 else { return .failure(.malformed) }
        guard case .success(let satellites) = NMEAField.number(s[7]), case .success(let hdop) = NMEAField.number(s[8]),
            case .success(let altitude) = NMEAField.number(s[9])
        else { return .failure(.malformed) }
        let quality = s.character(6)
        let noFix: RejectReason? = quality == UInt8(ascii: "0") || quality == 0 ? .noFixQuality : nil
        switch begin(.gga, s, timeField: 1, noFix: noFix, into: &output, stats: &stats) {
        case .failure(let error): return .failure(error)
        case .success(false): return .success(())
        case .success(true): break
        }
        let placed = position(s, at: 2)
        current.withEpoch { epoch in
            if quality == UInt8(ascii: "0") || quality == 0 {
                epoch.markInvalid(.noFixQuality)
            } else if quality &- UInt8(ascii: "0") <= 8 {
                epoch.ggaQuality = quality &- UInt8(ascii: "0")
            }
            if let satellites, satellites >= 0, satellites <= 255 { epoch.satellites = UInt8(satellites) }
            if let hdop { epoch.hdop = Float(hdop) }
            if let altitude { epoch.altitude = altitude }
        }
        return placed
    }

    private mutating func gll(
        _ s: NMEASentence,
        into output: inout [Fix],
        stats: inout DecodeStats
    ) -> Result<Void, NMEAFieldError> {
        guard s.count >= 7 else { return .failure(.malformed) }
        let status = s.character(6)
        let mode = s.character(7)
        let noFix: RejectReason? = status != UInt8(ascii: "A") || mode == UInt8(ascii: "N") ? .statusVoid : nil
        switch begin(.gll, s, timeField: 5, noFix: noFix, into: &output, stats: &stats) {
        case .failure(let error): return .failure(error)
        case .success(false): return .success(())
        case .success(true): break
        }
        let placed = position(s, at: 1)
        current.withEpoch { epoch in
            if status != UInt8(ascii: "A") { epoch.markInvalid(.statusVoid) }
            if mode != 0 { epoch.offer(modeIndicator: mode) }
        }
        return placed
    }

    private mutating func gns(
        _ s: NMEASentence,
        into output: inout [Fix],
        stats: inout DecodeStats
    ) -> Result<Void, NMEAFieldError> {
        guard s.count >= 10 else { return .failure(.malformed) }
        guard case .success(let satellites) = NMEAField.number(s[7]), case .success(let hdop) = NMEAField.number(s[8]),
            case .success(let altitude) = NMEAField.number(s[9])
        else { return .failure(.malformed) }
        // One mode letter per constellation; the fix is valid if any constellation has one.
        var best: UInt8 = 0
        for letter in s[6] where letter != UInt8(ascii: "N") {
            if best == 0 || best == UInt8(ascii: "A") { best = letter }
        }
        switch begin(.gns, s, timeField: 1, noFix: best == 0 ? .noFixGNS : nil, into: &output, stats: &stats) {
        case .failure(let error): return .failure(error)
        case .success(false): return .success(())
        case .success(true): break
        }
        let placed = position(s, at: 2)
        current.withEpoch { epoch in
            if best == 0 {
                epoch.markInvalid(.noFixGNS)
            } else {
                epoch.offer(modeIndicator: best)
            }
            if let satellites, satellites >= 0, satellites <= 255 { epoch.satellites = UInt8(satellites) }
            if let hdop { epoch.hdop = Float(hdop) }
            if let altitude { epoch.altitude = altitude }
        }
        return placed
    }

    private mutating func gsa(_ s: NMEASentence) -> Result<Void, NMEAFieldError> {
        guard s.count >= 3 else { return .failure(.malformed) }
        var data = NMEAUntimed()
        switch s.character(2) {
        case UInt8(ascii: "1"): data.noFix = true
        case UInt8(ascii: "2"): data.fixMode = .twoD
        case UInt8(ascii: "3"): data.fixMode = .threeD
        default: break
        }
        if s.count > 16 {
            guard case .success(let hdop) = NMEAField.number(s[16]) else { return .failure(.malformed) }
            if let hdop { data.hdop = Float(hdop) }
        }
        current.gsa(data)
        return .success(())
    }

    private mutating func vtg(_ s: NMEASentence) -> Result<Void, NMEAFieldError> {
        guard s.count >= 6 else { return .failure(.malformed) }
        guard case .success(let course) = NMEAField.number(s[1]), case .success(let knots) = NMEAField.number(s[5]),
            case .success(let kmh) = NMEAField.number(s[7])
        else { return .failure(.malformed) }
        let mode = s.character(9)
        // Mode N: the receiver says this VTG is not valid; it carries nothing then.
        guard mode != UInt8(ascii: "N") else { return .success(()) }
        var data = NMEAUntimed()
        if let knots {
            data.speed = Float(knots * Self.knotsToMetresPerSecond)
        } else if let kmh {
            data.speed = Float(kmh / 3.6)
        }
        if let course { data.course = Float(course) }
        current.vtg(data)
        return .success(())
    }

    private mutating func zda(
        _ s: NMEASentence,
        into output: inout [Fix],
        stats: inout DecodeStats
    ) -> Result<Void, NMEAFieldError> {
        guard s.count >= 5 else { return .failure(.malformed) }
        guard case .success(let time) = NMEAField.timeOfDay(s[1]), let time else { return .failure(.badTime) }
        guard let day = DecimalParser.unsigned(s[2]), let month = DecimalParser.unsigned(s[3]),
            let year = DecimalParser.unsigned(s[4]), Timestamp.isValidDate(year: year, month: month, day: day)
        else { return .failure(.badTime) }
        current.date(
            day: Timestamp.days(year: year, month: month, day: day),
            timeOfDay: time,
            into: &output,
            stats: &stats
        )
        return .success(())
    }
}
