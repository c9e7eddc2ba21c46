import FixstreamGeo
public import FixstreamJSON
import FixstreamWire

/// Reads trips from JSON: `{"id":"T1","vehicle":"van-7","stops":[{"id":"S1","lat":…,"lon":…,"radius":50,
/// "window":{"start":"…","end":"…"},"service":300,"tracking":"PKG-123"}…],"route":{GeoJSON LineString}}`, one
/// object or an array of them. All or nothing: the first problem throws, naming the trip and stop.
///
/// It accepts every trip the control store's `TripValidator` accepts (a test checks the boundary cases), so a
/// stored trip always loads; the two should become one parser in a shared module.
public enum TripParser {
    /// Parses one trip or an array of trips.
    public static func parse(_ bytes: [UInt8]) throws(TripError) -> [Trip] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw TripError("not JSON: \(error)")
        }
        let values = document.array ?? [document]
        var trips: [Trip] = []
        var ids: Set<String> = []
        for (index, value) in values.enumerated() {
            let trip = try parseTrip(value, index: index)
            guard ids.insert(trip.id).inserted else { throw TripError("trip \"\(trip.id)\" appears twice") }
            trips.append(trip)
        }
        return trips
    }

    /// Parses one trip object.
    public static func parseTrip(_ value: JSONValue, index: Int = 0) throws(TripError) -> Trip {
        guard value.object != nil else { throw TripError("trip \(index + 1): not a JSON object") }
        guard let id = value["id"]?.string, !id.isEmpty else {
            throw TripError("trip \(index + 1): \"id\" must be a non-empty string")
        }
        let name = "trip \"\(id)\""
        guard let vehicleText = value["vehicle"]?.string, let vehicle = VehicleID(vehicleText) else {
            throw TripError("\(name): \"vehicle\" must be 1 to 48 printable characters without spaces or quotes")
        }
        guard let stopValues = value["stops"]?.array, !stopValues.isEmpty else {
            throw TripError("\(name): \"stops\" must be a non-empty array")
        }
        var stops: [Trip.Stop] = []
        var stopIDs: Set<String> = []
        for (position, stopValue) in stopValues.enumerated() {
            let stop = try parseStop(stopValue, position: position, trip: name)
            guard stopIDs.insert(stop.id).inserted else {
                throw TripError("\(name): stop \(position + 1) (\"\(stop.id)\"): id used twice")
            }
            stops.append(stop)
        }
        var route: [Coordinate]?
        if let routeValue = value["route"], !routeValue.isNull {
            route = try parseRoute(routeValue, trip: name)
        }
        return Trip(id: id, vehicle: vehicle, stops: stops, route: route)
    }

    private static func parseStop(_ value: JSONValue, position: Int, trip: String) throws(TripError) -> Trip.Stop {
        guard value.object != nil, let id = value["id"]?.string, !id.isEmpty else {
            throw TripError("\(trip): stop \(position + 1): an object with a non-empty string \"id\" is required")
        }
        let name = "\(trip): stop \(position + 1) (\"\(id)\")"
        guard let latitude = value["lat"]?.number else { throw TripError("\(name): \"lat\" must be a number") }
        guard let longitude = value["lon"]?.number else { throw TripError("\(name): \"lon\" must be a number") }
        guard (-90 ... 90).contains(latitude) else { throw TripError("\(name): lat \(latitude) out of range") }
        guard (-180 ... 180).contains(longitude) else { throw TripError("\(name): lon \(longitude) out of range") }
        var stop = Trip.Stop(id: id, latitude: latitude, longitude: longitude)
        if let radius = value["radius"], !radius.isNull {
            guard let metres = radius.number, metres > 0, metres.isFinite else {
                throw TripError("\(name): \"radius\" must be a positive number of metres")
            }
            stop.radius = metres
        }
        if let service = value["service"], !service.isNull {
            guard let seconds = service.number, seconds >= 0, seconds.isFinite else {
                throw TripError("\(name): \"service\" must be a number of seconds, 0 or more")
            }
            stop.service = Int64((seconds * 1000).rounded())
        }
        if let tracking = value["tracking"], !tracking.isNull {
            guard let text = tracking.string else { throw TripError("\(name): \"tracking\" must be a string") }
            stop.tracking = text.isEmpty ? nil : text
        }
        if let window = value["window"], !window.isNull {
            guard window.object != nil else { throw TripError("\(name): \"window\" must be an object") }
            stop.windowStart = try time(window["start"], "window.start", name)
            stop.windowEnd = try time(window["end"], "window.end", name)
            if let start = stop.windowStart, let end = stop.windowEnd, end <= start {
                throw TripError("\(name): window.end must be after window.start")
            }
        }
        return stop
    }

    private static func time(_ value: JSONValue?, _ key: String, _ name: String) throws(TripError) -> Timestamp? {
        guard let value, !value.isNull else { return nil }
        guard var text = value.string else { throw TripError("\(name): \(key) must be an RFC 3339 time") }
        let parsed = text.withUTF8 { TimestampParser.rfc3339(UnsafeRawBufferPointer($0)) }
        guard let parsed else { throw TripError("\(name): \(key) \"\(text)\" is not an RFC 3339 time") }
        return parsed
    }

    private static func parseRoute(_ value: JSONValue, trip: String) throws(TripError) -> [Coordinate] {
        let geometry = value["type"]?.string == "Feature" ? value["geometry"] : value
        guard let geometry, geometry["type"]?.string == "LineString",
            let positions = geometry["coordinates"]?.array, positions.count >= 2
        else {
            throw TripError(
                "\(trip): \"route\" must be a GeoJSON LineString (or a Feature with one) of 2 or more positions"
            )
        }
        var route: [Coordinate] = []
        for (index, position) in positions.enumerated() {
            guard let pair = position.array, pair.count >= 2, let longitude = pair[0].number,
                let latitude = pair[1].number, (-90 ... 90).contains(latitude), (-180 ... 180).contains(longitude)
            else {
                throw TripError("\(trip): route position \(index + 1) must be [longitude, latitude] in range")
            }
            route.append(Coordinate(latitude: latitude, longitude: longitude))
        }
        return route
    }
}
