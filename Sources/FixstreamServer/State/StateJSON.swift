import FixstreamDetect
import FixstreamPipeline
import FixstreamWire

/// The state API's JSON.
enum StateJSON {
    /// `{"id":…,"state":…,"since":…,"last_fix":{…},"trip":{…}}`.
    static func append(_ view: VehicleView, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":""#.utf8)
        AlertJSONWriter.appendEscaped(view.vehicle.description, to: &out)
        out.append(UInt8(ascii: "\""))
        var json = JSONMembers(into: out)
        json.string("state", view.state.rawValue)
        json.time("since", view.since)
        if let fix = view.lastFix { position(fix, key: "last_fix", &json) }
        out = json.bytes
        out.append(contentsOf: view.members)
        out.append(UInt8(ascii: "}"))
    }

    /// `{"vehicles":[…],"next":"<last id>"}` (`next` absent on the last page).
    static func page(_ views: [VehicleView], limit: Int) -> [UInt8] {
        var out = Array(#"{"vehicles":["#.utf8)
        for (index, view) in views.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(view, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        var json = JSONMembers(into: out)
        if views.count == limit { json.string("next", views.last?.vehicle.description) }
        out = json.bytes
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The whole trip: every stop's status, ETA and actual times.
    static func trip(_ report: TripReport) -> [UInt8] {
        var out = Array(#"{"id":""#.utf8)
        AlertJSONWriter.appendEscaped(report.trip, to: &out)
        out.append(UInt8(ascii: "\""))
        var json = JSONMembers(into: out)
        json.string("vehicle", report.vehicle.description)
        json.string("status", report.status)
        out = json.bytes
        out.append(contentsOf: #","stops":["#.utf8)
        for (index, stop) in report.stops.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"id":""#.utf8)
            AlertJSONWriter.appendEscaped(stop.id, to: &out)
            out.append(UInt8(ascii: "\""))
            var members = JSONMembers(into: out)
            stopMembers(stop, &members)
            members.string("tracking", stop.tracking)
            out = members.bytes
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    /// What one shipment's tracking page may show: its stop's status, ETA, window and times, and the vehicle's
    /// position while it approaches. Nothing about other stops, the trip or the vehicle's identity.
    static func tracking(_ number: String, stop: TripReport.Stop, lastFix: Fix?) -> [UInt8] {
        var out = Array(#"{"tracking":""#.utf8)
        AlertJSONWriter.appendEscaped(number, to: &out)
        out.append(UInt8(ascii: "\""))
        var json = JSONMembers(into: out)
        stopMembers(stop, &json)
        if stop.status == "approaching", let lastFix { position(lastFix, key: "vehicle_position", &json) }
        out = json.bytes
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static func stopMembers(_ stop: TripReport.Stop, _ json: inout JSONMembers) {
        json.string("status", stop.status)
        json.time("eta", stop.eta)
        json.number("distance", stop.distance?.rounded())
        json.time("arrived", stop.arrived)
        json.time("departed", stop.departed)
        if stop.windowStart != nil || stop.windowEnd != nil {
            json.open("window")
            json.time("start", stop.windowStart)
            json.time("end", stop.windowEnd)
            json.close()
        }
    }

    private static func position(_ fix: Fix, key: String, _ json: inout JSONMembers) {
        json.open(key)
        json.time("time", fix.time)
        json.coordinate("lat", fix.latitude)
        json.coordinate("lon", fix.longitude)
        json.number("speed", fix.speed.map(Double.init))
        json.number("course", fix.course.map(Double.init))
        json.close()
    }
}
