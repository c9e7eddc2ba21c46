import FixstreamGeo
public import FixstreamJSON
import FixstreamWire

/// Reads trips from JSON, checking each member as it builds the ``Trip``: the one parser behind the control
/// store's imports, the trips it loads back and `--trips FILE`.
///
/// A trip is a JSON object:
///
/// | member | required | rule |
/// |---|---|---|
/// | `id` | yes | non-empty string, unique in the document |
/// | `vehicle` | yes | a vehicle id: 1 to 48 printable ASCII characters, no space, `"` or `\` |
/// | `stops` | yes | non-empty array of stop objects |
/// | `route` | no | a GeoJSON `LineString` geometry, or a `Feature` with one, of at least 2 positions |
///
/// A stop: `id` (non-empty string, unique in the trip), `lat` (-90...90) and `lon` (-180...180) numbers; optional
/// `radius` (metres > 0, default 50), `window` (an object with RFC 3339 `start` and/or `end`, any offset, the end
/// after the start), `service` (0 to 604,800 seconds, a week; kept as milliseconds) and `tracking` (string; empty means none).
/// Route positions are `[longitude, latitude]` or `[longitude, latitude, altitude]`; the altitude is dropped.
/// `null` counts as absent for optional members; other members are ignored, so producers may add their own. Only
/// structure is checked here: whether the vehicle exists or the stops are reachable is for later stages.
public enum TripParser {
    /// The longest planned service at a stop, seconds.
    public static let maximumService = 7 * 86_400.0

    /// Parses a document holding one trip object or an array of them, all or nothing.
    ///
    /// - Parameter bytes: UTF-8 JSON.
    /// - Returns: the trips in document order (an empty array gives none).
    /// - Throws: ``TripError`` for the first problem, naming the trip and stop; two trips with one id are refused.
    public static func parseDocument(_ bytes: [UInt8]) throws(TripError) -> [Trip] {
        try parseDocumentWithJSON(bytes).map(\.trip)
    }

    /// Parses a document like ``parseDocument(_:)`` and keeps each trip's JSON value as given.
    ///
    /// - Parameter bytes: UTF-8 JSON.
    /// - Returns: the trips with their JSON values, in document order.
    /// - Throws: ``TripError`` for the first problem, naming the trip and stop; two trips with one id are refused.
    public static func parseDocumentWithJSON(_ bytes: [UInt8]) throws(TripError) -> [ParsedTrip] {
        let document: JSONValue
        do throws(JSONParseError) {
            document = try JSONValue.parse(bytes)
        } catch {
            throw TripError(.invalidJSON, "invalid JSON: \(error)", cause: error)
        }
        if document.object != nil { return [ParsedTrip(trip: try parse(document), json: document)] }
        guard let elements = document.array else {
            throw TripError(.invalidDocument, "expected a trip object or an array of trips, found \(document.typeName)")
        }
        var trips: [ParsedTrip] = []
        trips.reserveCapacity(elements.count)
        var seen: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            let trip: Trip
            do throws(TripError) {
                trip = try parse(element)
            } catch {
                var error = error
                error.tripIndex = index
                throw error
            }
            if let first = seen.updateValue(index, forKey: trip.id) {
                throw TripError(
                    .duplicateID,
                    "id already used by trip \(first) of the document (this is trip \(index))",
                    tripIndex: index,
                    tripID: trip.id
                )
            }
            trips.append(ParsedTrip(trip: trip, json: element))
        }
        return trips
    }

    /// Parses one trip object.
    ///
    /// - Parameter value: the trip.
    /// - Returns: the trip.
    /// - Throws: ``TripError`` naming the problem (with ``TripError/tripID`` once the id is known).
    public static func parse(_ value: JSONValue) throws(TripError) -> Trip {
        guard value.object != nil else {
            throw TripError(.invalidDocument, "expected a trip object, found \(value.typeName)")
        }
        guard let id = value["id"]?.string, !id.isEmpty else {
            throw TripError(.missingID, "id must be a non-empty string, found \(describe(value["id"]))")
        }
        do throws(TripError) {
            return try parseMembers(of: value, id: id)
        } catch {
            var error = error
            error.tripID = id
            throw error
        }
    }

    private static func parseMembers(of value: JSONValue, id: String) throws(TripError) -> Trip {
        guard let vehicleText = value["vehicle"]?.string else {
            throw TripError(.invalidVehicle, "vehicle must be a string, found \(describe(value["vehicle"]))")
        }
        guard let vehicle = VehicleID(vehicleText) else {
            throw TripError(
                .invalidVehicle,
                "vehicle \(quoted(vehicleText)) is not a valid vehicle id: 1 to 48 printable ASCII characters, no space, quote or backslash"
            )
        }
        guard let stopValues = value["stops"]?.array else {
            throw TripError(.invalidStops, "stops must be an array of stops, found \(describe(value["stops"]))")
        }
        guard !stopValues.isEmpty else {
            throw TripError(.invalidStops, "stops is empty; a trip needs at least one stop")
        }
        var stops: [Trip.Stop] = []
        stops.reserveCapacity(stopValues.count)
        var stopIndices: [String: Int] = [:]
        for (index, stopValue) in stopValues.enumerated() {
            do throws(TripError) {
                let stop = try parseStop(stopValue)
                if let first = stopIndices.updateValue(index, forKey: stop.id) {
                    throw TripError(.invalidStopID, "id already used by stop \(first)", stopID: stop.id)
                }
                stops.append(stop)
            } catch {
                var error = error
                error.stopIndex = index
                throw error
            }
        }
        var route: [Coordinate]?
        if let routeValue = value["route"], !routeValue.isNull {
            route = try parseRoute(routeValue)
        }
        return Trip(id: id, vehicle: vehicle, stops: stops, route: route)
    }

    private static func parseStop(_ value: JSONValue) throws(TripError) -> Trip.Stop {
        guard value.object != nil else {
            throw TripError(.invalidStops, "expected a stop object, found \(value.typeName)")
        }
        guard let id = value["id"]?.string, !id.isEmpty else {
            throw TripError(.invalidStopID, "id must be a non-empty string, found \(describe(value["id"]))")
        }
        do throws(TripError) {
            return try parseStopMembers(of: value, id: id)
        } catch {
            var error = error
            error.stopID = id
            throw error
        }
    }

    private static func parseStopMembers(of value: JSONValue, id: String) throws(TripError) -> Trip.Stop {
        let latitude = try coordinate(value["lat"], name: "lat", range: -90 ... 90)
        let longitude = try coordinate(value["lon"], name: "lon", range: -180 ... 180)
        var stop = Trip.Stop(id: id, latitude: latitude, longitude: longitude)
        if let radius = try optionalNumber(value, "radius", unit: "metres") {
            guard radius > 0 else {
                throw TripError(.invalidProperty, "radius must be > 0 metres, found \(format(radius))")
            }
            stop.radius = radius
        }
        if let service = try optionalNumber(value, "service", unit: "seconds") {
            guard service >= 0 else {
                throw TripError(.invalidProperty, "service must be >= 0 seconds, found \(format(service))")
            }
            // A week bounds any real stop, and keeps every ETA sum far from overflowing.
            guard service <= Self.maximumService else {
                throw TripError(
                    .invalidProperty,
                    "service \(format(service)) seconds is too large (at most \(format(Self.maximumService)), a week)"
                )
            }
            stop.service = Int64((service * 1000).rounded())
        }
        switch value["tracking"] {
        case nil, .null?: break
        case .string(let text)?: stop.tracking = text.isEmpty ? nil : text
        case let other?: throw TripError(.invalidProperty, "tracking must be a string, found \(other.typeName)")
        }
        if let window = value["window"], !window.isNull {
            (stop.windowStart, stop.windowEnd) = try parseWindow(window)
        }
        return stop
    }

    private static func coordinate(
        _ value: JSONValue?,
        name: String,
        range: ClosedRange<Double>
    ) throws(TripError) -> Double {
        guard let number = value?.number else {
            throw TripError(.coordinateOutOfRange, "\(name) must be a number, found \(describe(value))")
        }
        guard range.contains(number) else {
            throw TripError(.coordinateOutOfRange, "\(name) \(format(number)) out of range")
        }
        return number
    }

    /// The number under `key`, nil when absent or null; a JSON text never holds a non-finite one, but a value
    /// built in code may.
    private static func optionalNumber(_ object: JSONValue, _ key: String, unit: String) throws(TripError) -> Double? {
        switch object[key] {
        case nil, .null?:
            return nil
        case .number(let value)? where value.isFinite:
            return value
        case .number(let value)?:
            throw TripError(.invalidProperty, "\(key) must be a finite number of \(unit), found \(format(value))")
        case let other?:
            throw TripError(.invalidProperty, "\(key) must be a number of \(unit), found \(other.typeName)")
        }
    }

    private static func parseWindow(_ window: JSONValue) throws(TripError) -> (start: Timestamp?, end: Timestamp?) {
        guard window.object != nil else {
            throw TripError(.invalidWindow, "window must be an object with start and/or end, found \(window.typeName)")
        }
        let start = try time(window, "start")
        let end = try time(window, "end")
        guard start != nil || end != nil else {
            throw TripError(.invalidWindow, "window needs a start, an end or both")
        }
        if let start, let end, end.time <= start.time {
            throw TripError(
                .invalidWindow,
                "window end \(quoted(end.text)) is not after its start \(quoted(start.text))"
            )
        }
        return (start?.time, end?.time)
    }

    private static func time(_ window: JSONValue, _ key: String) throws(TripError) -> (time: Timestamp, text: String)? {
        switch window[key] {
        case nil, .null?:
            return nil
        case .string(let text)?:
            var copy = text
            let parsed = copy.withUTF8 { TimestampParser.rfc3339(UnsafeRawBufferPointer($0)) }
            guard let parsed else {
                throw TripError(
                    .invalidWindow,
                    "window \(key) \(quoted(text)) is not an RFC 3339 time (like 2026-11-22T10:00:00Z)"
                )
            }
            return (parsed, text)
        case let other?:
            throw TripError(.invalidWindow, "window \(key) must be an RFC 3339 string, found \(other.typeName)")
        }
    }

    private static func parseRoute(_ route: JSONValue) throws(TripError) -> [Coordinate] {
        var geometry = route
        if route["type"]?.string == "Feature" {
            geometry = route["geometry"] ?? .null
        }
        guard geometry.object != nil, geometry["type"]?.string == "LineString" else {
            throw TripError(
                .invalidRoute,
                "route must be a GeoJSON LineString geometry or a Feature with one, found \(describeGeometry(geometry))"
            )
        }
        guard let positions = geometry["coordinates"]?.array else {
            throw TripError(.invalidRoute, "route coordinates must be an array of positions")
        }
        guard positions.count >= 2 else {
            throw TripError(.invalidRoute, "route has \(positions.count) positions; a LineString needs at least 2")
        }
        var coordinates: [Coordinate] = []
        coordinates.reserveCapacity(positions.count)
        for (index, position) in positions.enumerated() {
            guard let array = position.array, array.count == 2 || array.count == 3,
                let longitude = array[0].number, let latitude = array[1].number,
                array.count == 2 || array[2].number != nil
            else {
                throw TripError(
                    .invalidRoute,
                    "route position \(index) must be [longitude, latitude] or [longitude, latitude, altitude] numbers"
                )
            }
            guard (-180 ... 180).contains(longitude), (-90 ... 90).contains(latitude) else {
                throw TripError(
                    .invalidRoute,
                    "route position \(index) [\(format(longitude)), \(format(latitude))] is out of range (longitude -180...180, latitude -90...90; GeoJSON order is [longitude, latitude])"
                )
            }
            coordinates.append(Coordinate(latitude: latitude, longitude: longitude))
        }
        return coordinates
    }

    // MARK: Messages

    private static func describe(_ value: JSONValue?) -> String {
        switch value {
        case nil: "nothing"
        case .string(let text)?: text.isEmpty ? "an empty string" : "string \(quoted(text))"
        case let other?: other.typeName
        }
    }

    private static func describeGeometry(_ value: JSONValue) -> String {
        if let type = value["type"]?.string { return "\"type\": \(quoted(type))" }
        return value.typeName
    }

    /// A number as JSON writes it (`95`, `95.5`); `inf` or `nan` for what JSON cannot hold.
    private static func format(_ value: Double) -> String {
        value.isFinite ? JSONValue.number(value).serializedText : "\(value)"
    }

    /// A string as a JSON string literal, so odd characters stay visible.
    private static func quoted(_ text: String) -> String { JSONValue.string(text).serializedText }
}
