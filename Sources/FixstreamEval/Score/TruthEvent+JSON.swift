public import FixstreamJSON
import FixstreamWire

extension TruthEvent {
    /// The event as one compact JSON object (no line feed): `{"kind":"stop","vehicle":…,…}`, times as RFC 3339
    /// UTC with milliseconds, absent values left out.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        func add(_ key: String, _ value: JSONValue) { members.append((key, value)) }
        func time(_ key: String, _ milliseconds: Int64?) {
            guard let milliseconds else { return }
            add(key, .string(Self.timeText(milliseconds)))
        }
        func number(_ key: String, _ value: Double) { add(key, .number((value * 10).rounded() / 10)) }
        switch self {
        case .run(let run):
            add("kind", .string("run"))
            add("seed", .string(String(run.seed)))
            add("vehicles", .number(Double(run.vehicles)))
            time("start", run.start)
            time("end", run.end)
            add("fixes", .number(Double(run.fixes)))
        case .power(let power):
            add("kind", .string("power"))
            add("vehicle", .string(power.vehicle))
            add("trip", .string(power.trip))
            time("on", power.on)
            time("off", power.off)
        case .stop(let stop):
            add("kind", .string("stop"))
            add("vehicle", .string(stop.vehicle))
            add("trip", .string(stop.trip))
            add("stop", .string(stop.stop))
            time("arrived", stop.arrived)
            time("departed", stop.departed)
            time("leg_start", stop.legStart)
            if stop.initial { add("initial", .bool(true)) }
            if !stop.clear { add("clear", .bool(false)) }
            time("window_end", stop.windowEnd)
        case .skip(let skip):
            add("kind", .string("skip"))
            add("vehicle", .string(skip.vehicle))
            add("trip", .string(skip.trip))
            add("stop", .string(skip.stop))
        case .halt(let halt):
            add("kind", .string("halt"))
            add("vehicle", .string(halt.vehicle))
            time("start", halt.start)
            time("end", halt.end)
            time("near", halt.near)
            time("left", halt.left)
            add("lat", .number((halt.latitude * 1e7).rounded() / 1e7))
            add("lon", .number((halt.longitude * 1e7).rounded() / 1e7))
        case .detour(let detour):
            add("kind", .string("detour"))
            add("vehicle", .string(detour.vehicle))
            add("trip", .string(detour.trip))
            time("start", detour.start)
            time("end", detour.end)
            number("threshold", detour.threshold)
            number("max_offset", detour.maxOffset)
            time("last_clearly_off", detour.lastClearlyOff)
            add("cause", .string(detour.cause))
        case .visit(let visit):
            add("kind", .string("visit"))
            add("vehicle", .string(visit.vehicle))
            add("fence", .string(visit.fence))
            time("enter", visit.enter)
            time("exit", visit.exit)
            number("max_depth", visit.maxDepth)
            time("deepest", visit.deepest)
            number("hysteresis", visit.hysteresis)
            if let dwell = visit.dwell { add("dwell", .number(Double(dwell) / 1000)) }
        case .outage(let outage):
            add("kind", .string("outage"))
            add("vehicle", .string(outage.vehicle))
            time("last", outage.last)
            time("last_fix", outage.lastFix)
            time("resumed", outage.resumed)
            time("first_fix", outage.firstFix)
            add("cause", .string(outage.cause))
        }
        return .object(members)
    }

    /// Appends the event as one JSON line.
    public func appendLine(to output: inout [UInt8]) {
        json.write(to: &output)
        output.append(UInt8(ascii: "\n"))
    }

    /// Reads one truth line.
    /// - Throws: ``EvalError`` naming what is missing or malformed.
    public init(line: some Collection<UInt8>) throws(EvalError) {
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONValue.parse(line)
        } catch {
            throw EvalError("not JSON: \(error)")
        }
        try self.init(json: value)
    }

    /// Reads one truth object.
    /// - Throws: ``EvalError`` naming what is missing or malformed.
    public init(json value: JSONValue) throws(EvalError) {
        let fields = Fields(value)
        switch try fields.string("kind") {
        case "run":
            guard let seed = UInt64(try fields.string("seed")) else { throw EvalError("run: bad seed") }
            self = .run(
                Run(
                    seed: seed,
                    vehicles: Int(try fields.number("vehicles")),
                    start: try fields.time("start"),
                    end: try fields.time("end"),
                    fixes: Int(try fields.number("fixes"))
                )
            )
        case "power":
            self = .power(
                Power(
                    vehicle: try fields.string("vehicle"),
                    trip: try fields.string("trip"),
                    on: try fields.time("on"),
                    off: try fields.time("off")
                )
            )
        case "stop":
            self = .stop(
                Stop(
                    vehicle: try fields.string("vehicle"),
                    trip: try fields.string("trip"),
                    stop: try fields.string("stop"),
                    arrived: try fields.time("arrived"),
                    departed: try fields.optionalTime("departed"),
                    legStart: try fields.time("leg_start"),
                    initial: value["initial"]?.bool ?? false,
                    clear: value["clear"]?.bool ?? true,
                    windowEnd: try fields.optionalTime("window_end")
                )
            )
        case "skip":
            self = .skip(
                Skip(
                    vehicle: try fields.string("vehicle"),
                    trip: try fields.string("trip"),
                    stop: try fields.string("stop")
                )
            )
        case "halt":
            self = .halt(
                Halt(
                    vehicle: try fields.string("vehicle"),
                    start: try fields.time("start"),
                    end: try fields.optionalTime("end"),
                    near: try fields.optionalTime("near"),
                    left: try fields.optionalTime("left"),
                    latitude: try fields.number("lat"),
                    longitude: try fields.number("lon")
                )
            )
        case "detour":
            self = .detour(
                Detour(
                    vehicle: try fields.string("vehicle"),
                    trip: try fields.string("trip"),
                    start: try fields.time("start"),
                    end: try fields.optionalTime("end"),
                    threshold: try fields.number("threshold"),
                    maxOffset: try fields.number("max_offset"),
                    lastClearlyOff: try fields.optionalTime("last_clearly_off"),
                    cause: try fields.string("cause")
                )
            )
        case "visit":
            self = .visit(
                Visit(
                    vehicle: try fields.string("vehicle"),
                    fence: try fields.string("fence"),
                    enter: try fields.optionalTime("enter"),
                    exit: try fields.optionalTime("exit"),
                    maxDepth: try fields.number("max_depth"),
                    deepest: try fields.time("deepest"),
                    hysteresis: try fields.number("hysteresis"),
                    dwell: value["dwell"]?.number.map { Int64(($0 * 1000).rounded()) }
                )
            )
        case "outage":
            self = .outage(
                Outage(
                    vehicle: try fields.string("vehicle"),
                    last: try fields.time("last"),
                    lastFix: try fields.time("last_fix"),
                    resumed: try fields.optionalTime("resumed"),
                    firstFix: try fields.optionalTime("first_fix"),
                    cause: try fields.string("cause")
                )
            )
        case let kind:
            throw EvalError("unknown kind \"\(kind)\"")
        }
    }

    /// `2026-11-22T10:00:00.123Z`.
    static func timeText(_ milliseconds: Int64) -> String {
        var bytes: [UInt8] = []
        FixJSONWriter.appendTime(Timestamp(millisecondsSinceEpoch: milliseconds), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Typed access to a truth object's members, with errors naming the member.
private struct Fields {
    let value: JSONValue

    init(_ value: JSONValue) {
        self.value = value
    }

    func string(_ key: String) throws(EvalError) -> String {
        guard let text = value[key]?.string else { throw EvalError("\(key) must be a string") }
        return text
    }

    func number(_ key: String) throws(EvalError) -> Double {
        guard let number = value[key]?.number else { throw EvalError("\(key) must be a number") }
        return number
    }

    func time(_ key: String) throws(EvalError) -> Int64 {
        guard let time = try optionalTime(key) else { throw EvalError("\(key) is missing") }
        return time
    }

    func optionalTime(_ key: String) throws(EvalError) -> Int64? {
        guard let member = value[key], !member.isNull else { return nil }
        guard let text = member.string, let time = TimeText.parse(text) else {
            throw EvalError("\(key) must be an RFC 3339 time")
        }
        return time
    }
}

/// RFC 3339 text to milliseconds since the epoch.
enum TimeText {
    static func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { bytes in
            TimestampParser.rfc3339(UnsafeRawBufferPointer(bytes))?.millisecondsSinceEpoch
        }
    }
}
