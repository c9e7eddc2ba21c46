import FixstreamPipeline
import FixstreamWire

#if canImport(Glibc)
    import Glibc
#endif

/// One alert as a line for people, in aligned columns: event time (local), vehicle, type, what happened.
///
/// `06:12:04  sim-007  stop.arrived      stop 3 "Customer 12" (2 min late)`
struct DemoAlertLine {
    /// The widest vehicle id expected, so the columns after it line up.
    var vehicleWidth: Int
    /// Names of fences, and of the stops at them, by id (a stop is named after the fence of the same id).
    var names: [String: String] = [:]
    /// The number of each stop in its trip (0 for the first), by `trip/stop`.
    var stopNumbers: [String: Int] = [:]

    /// The widest type name.
    static let typeWidth = AlertType.allCases.map(\.name.count).max()!

    /// The line for `alert`, without a line feed.
    func format(_ alert: Alert) -> String {
        Self.pad(Self.clock(alert.time), 8) + "  " + Self.pad(alert.vehicle.description, vehicleWidth) + "  "
            + Self.pad(alert.type.name, Self.typeWidth) + "  " + detail(alert)
    }

    /// What happened, from the alert's own fields. The trip goes without saying (one per vehicle).
    func detail(_ alert: Alert) -> String {
        func text(_ key: String) -> String? {
            if case .string(let value)? = alert[key] { return value }
            return nil
        }
        func seconds(_ key: String) -> Double? {
            switch alert[key] {
            case .integer(let value)?: Double(value)
            case .number(let value)?: value
            default: nil
            }
        }
        func time(_ key: String) -> String? {
            if case .time(let value)? = alert[key] { return Self.clock(value) }
            return nil
        }
        func span(_ key: String, _ prefix: String) -> String {
            seconds(key).map { prefix + Self.span($0) } ?? ""
        }
        let fenceID = text("fence") ?? "?"
        let fence = "fence " + Self.quoted(text("name") ?? names[fenceID] ?? fenceID)
        var stop = "stop"
        if let id = text("stop") {
            if let number = stopNumbers[(text("trip") ?? "") + "/" + id] { stop += " \(number)" }
            stop += " " + (names[id].map(Self.quoted) ?? id)
        }
        switch alert.type {
        case .geofenceEnter:
            return fence + (alert["crossed"] == .bool(true) ? " (crossed between two fixes)" : "")
        case .geofenceExit:
            return fence + span("duration", " after ")
        case .geofenceDwell:
            return fence + span("dwell", " for ")
        case .idleStart:
            return "halted" + (time("detected_at").map { ", seen standing at " + $0 } ?? "")
        case .idleEnd:
            return "moving again" + span("duration", " after ")
        case .routeDeviation:
            return "off its route" + (seconds("distance").map { " by \(Int($0.rounded())) m" } ?? "")
        case .routeRejoin:
            return "back on its route" + span("duration", " after ")
        case .stopApproaching:
            var line = stop
            if let eta = time("eta") { line += ", ETA " + eta }
            if let distance = seconds("distance") { line += ", \(Int(distance.rounded())) m away" }
            return line
        case .stopArrived:
            return stop + (seconds("late_by").map { " (" + Self.span($0) + " late)" } ?? "")
        case .stopDeparted:
            return stop + span("duration", " after ")
        case .etaChanged:
            return stop + ", ETA " + (time("previous") ?? "?") + " -> " + (time("eta") ?? "?")
        case .etaLate:
            return stop + ", ETA " + (time("eta") ?? "?") + span("late_by", ", late by ")
        case .gpsLost:
            return "no fix" + span("silence", " for ")
        case .gpsRestored:
            return "fixes again" + span("gap", " after ")
        }
    }

    /// `HH:MM:SS` in the local time zone.
    static func clock(_ time: Timestamp) -> String {
        var seconds = time_t(time.millisecondsSinceEpoch / 1000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return two(Int(parts.tm_hour)) + ":" + two(Int(parts.tm_min)) + ":" + two(Int(parts.tm_sec))
    }

    /// `45 s`, `4 min 10 s`, `12 min`, `1 h`, `1 h 5 min`.
    static func span(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total) s" }
        if total < 3600 { return total % 60 == 0 ? "\(total / 60) min" : "\(total / 60) min \(total % 60) s" }
        return total % 3600 / 60 == 0 ? "\(total / 3600) h" : "\(total / 3600) h \(total % 3600 / 60) min"
    }

    private static func quoted(_ text: String) -> String { "\"" + text + "\"" }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
