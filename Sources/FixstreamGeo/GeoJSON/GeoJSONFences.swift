public import FixstreamJSON

/// Reads fences from GeoJSON (RFC 7946): positions are `[longitude, latitude]` (an altitude is ignored).
///
/// Accepted documents: a `FeatureCollection`, a single `Feature`, or a JSON array of `Feature`s. Each feature
/// needs `properties.id` (a non-empty string, unique in the document) and one of these geometries:
///
/// | geometry | fence | required properties |
/// |---|---|---|
/// | `Polygon` | polygon, holes after the outer ring | — |
/// | `MultiPolygon` | polygons | — |
/// | `Point` | circle | `radius` metres > 0 |
/// | `LineString` | corridor | `buffer` metres > 0 |
///
/// Optional properties: `name` (string), `dwell` (seconds >= 0, stored in milliseconds), `hysteresis` (metres
/// >= 0, default 10). `null` counts as absent. Other properties are ignored. Rings must be closed and have at
/// least 4 positions; ring orientation is not checked (RFC 7946 says parsers should not reject it).
public enum GeoJSONFences {
    /// Parses a whole document, all or nothing.
    ///
    /// - Parameter bytes: UTF-8 JSON.
    /// - Returns: the fences in document order.
    /// - Throws: ``FenceError`` for the first problem, naming the feature by index and id.
    public static func parse(_ bytes: [UInt8]) throws(FenceError) -> [Fence] {
        let document: JSONValue
        do throws(JSONParseError) {
            document = try JSONValue.parse(bytes)
        } catch {
            throw FenceError(.invalidJSON, "invalid JSON: \(error)", cause: error)
        }
        let features: [JSONValue]
        if let array = document.array {
            features = array
        } else if document["type"]?.string == "FeatureCollection" {
            guard let array = document["features"]?.array else {
                throw FenceError(.invalidDocument, "FeatureCollection has no \"features\" array")
            }
            features = array
        } else if document["type"]?.string == "Feature" {
            features = [document]
        } else {
            throw FenceError(
                .invalidDocument,
                "expected a FeatureCollection, a Feature or an array of Features, found \(describeType(document))"
            )
        }
        var fences: [Fence] = []
        fences.reserveCapacity(features.count)
        var seen: [String: Int] = [:]
        for (index, feature) in features.enumerated() {
            let fence: Fence
            do throws(FenceError) {
                fence = try parseFeature(feature)
            } catch {
                var error = error
                error.featureIndex = index
                throw error
            }
            if let first = seen.updateValue(index, forKey: fence.id) {
                throw FenceError(
                    .duplicateID,
                    "id \"\(fence.id)\" is already used by feature \(first)",
                    featureIndex: index,
                    featureID: fence.id
                )
            }
            fences.append(fence)
        }
        return fences
    }

    /// Parses one GeoJSON `Feature` into a fence.
    ///
    /// - Parameter value: the feature object.
    /// - Returns: the fence.
    /// - Throws: ``FenceError`` naming the problem (with ``FenceError/featureID`` once the id is known).
    public static func parseFeature(_ value: JSONValue) throws(FenceError) -> Fence {
        guard value.object != nil else {
            throw FenceError(.invalidFeature, "expected a Feature object, found \(value.typeName)")
        }
        guard value["type"]?.string == "Feature" else {
            throw FenceError(.invalidFeature, "\"type\" must be \"Feature\", found \(describeType(value))")
        }
        let properties = value["properties"] ?? .null
        guard properties.object != nil else {
            throw FenceError(
                .missingID,
                "\"properties\" must be an object holding an \"id\", found \(properties.typeName)"
            )
        }
        guard let id = properties["id"]?.string, !id.isEmpty else {
            let found = properties["id"].map { $0.string != nil ? "an empty string" : $0.typeName } ?? "nothing"
            throw FenceError(.missingID, "properties.id must be a non-empty string, found \(found)")
        }
        do throws(FenceError) {
            return try parseFence(id: id, properties: properties, geometry: value["geometry"] ?? .null)
        } catch {
            var error = error
            error.featureID = id
            throw error
        }
    }

    private static func parseFence(id: String, properties: JSONValue, geometry: JSONValue) throws(FenceError) -> Fence {
        let name: String?
        switch properties["name"] {
        case nil, .null?: name = nil
        case .string(let text)?: name = text
        case let other?: throw FenceError(.invalidProperty, "properties.name must be a string, found \(other.typeName)")
        }
        let dwell = try number(properties, "dwell", unit: "seconds").map { Int64(($0 * 1000).rounded()) }
        let hysteresis = try number(properties, "hysteresis", unit: "metres") ?? Fence.defaultHysteresis

        guard geometry.object != nil else {
            throw FenceError(.invalidGeometry, "\"geometry\" must be a geometry object, found \(geometry.typeName)")
        }
        guard let type = geometry["type"]?.string else {
            throw FenceError(.invalidGeometry, "geometry has no \"type\" string")
        }
        let coordinates = geometry["coordinates"] ?? .null
        let shape: FenceShape
        switch type {
        case "Polygon":
            shape = .polygon(try rings(coordinates, label: "Polygon coordinates"))
        case "MultiPolygon":
            guard let polygons = coordinates.array else {
                throw FenceError(.invalidGeometry, "MultiPolygon coordinates must be an array of polygons")
            }
            var parts: [[[Coordinate]]] = []
            for (index, polygon) in polygons.enumerated() {
                parts.append(try rings(polygon, label: "MultiPolygon polygon \(index)"))
            }
            shape = .multiPolygon(parts)
        case "Point":
            guard let radius = try number(properties, "radius", unit: "metres"), radius > 0 else {
                throw FenceError(.invalidProperty, "a Point fence needs properties.radius, metres > 0")
            }
            shape = .circle(center: try position(coordinates, label: "Point coordinates"), radius: radius)
        case "LineString":
            guard let buffer = try number(properties, "buffer", unit: "metres"), buffer > 0 else {
                throw FenceError(.invalidProperty, "a LineString fence needs properties.buffer, metres > 0")
            }
            shape = .corridor(path: try positions(coordinates, label: "LineString coordinates"), buffer: buffer)
        default:
            throw FenceError(
                .unsupportedGeometry,
                "unsupported geometry type \"\(type)\"; expected Polygon, MultiPolygon, Point (with radius) or LineString (with buffer)"
            )
        }
        return try Fence(id: id, name: name, dwell: dwell, hysteresis: hysteresis, shape: shape)
    }

    /// An optional numeric property: absent or null gives `nil`; otherwise finite and >= 0.
    private static func number(_ properties: JSONValue, _ key: String, unit: String) throws(FenceError) -> Double? {
        switch properties[key] {
        case nil, .null?:
            return nil
        case .number(let value)?:
            guard value.isFinite, value >= 0 else {
                throw FenceError(.invalidProperty, "properties.\(key) must be >= 0 \(unit), found \(value)")
            }
            return value
        case let other?:
            throw FenceError(.invalidProperty, "properties.\(key) must be a number of \(unit), found \(other.typeName)")
        }
    }

    private static func rings(_ value: JSONValue, label: String) throws(FenceError) -> [[Coordinate]] {
        guard let array = value.array else {
            throw FenceError(.invalidGeometry, "\(label) must be an array of rings, found \(value.typeName)")
        }
        var result: [[Coordinate]] = []
        result.reserveCapacity(array.count)
        for (index, ring) in array.enumerated() {
            result.append(try positions(ring, label: "\(label) ring \(index)"))
        }
        return result
    }

    private static func positions(_ value: JSONValue, label: String) throws(FenceError) -> [Coordinate] {
        guard let array = value.array else {
            throw FenceError(.invalidGeometry, "\(label) must be an array of positions, found \(value.typeName)")
        }
        var result: [Coordinate] = []
        result.reserveCapacity(array.count)
        for (index, element) in array.enumerated() {
            result.append(try position(element, label: "\(label) position \(index)"))
        }
        return result
    }

    private static func position(_ value: JSONValue, label: String) throws(FenceError) -> Coordinate {
        guard let array = value.array, array.count >= 2, array.count <= 3,
            let longitude = array[0].number, let latitude = array[1].number,
            array.count == 2 || array[2].number != nil
        else {
            throw FenceError(
                .invalidGeometry,
                "\(label) must be [longitude, latitude] or [longitude, latitude, altitude] numbers"
            )
        }
        let coordinate = Coordinate(latitude: latitude, longitude: longitude)
        guard coordinate.isValid else {
            throw FenceError(
                .coordinateOutOfRange,
                "\(label) [\(longitude), \(latitude)] is out of range (longitude -180...180, latitude -90...90; GeoJSON order is [longitude, latitude])"
            )
        }
        return coordinate
    }

    private static func describeType(_ value: JSONValue) -> String {
        if let type = value["type"]?.string { return "\"type\": \"\(type)\"" }
        return value.typeName
    }
}
