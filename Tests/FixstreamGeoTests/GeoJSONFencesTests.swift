import FixstreamGeo
import FixstreamJSON
import Testing

struct GeoJSONFencesTests {
    private static let square = "[[[6.6,46.5],[6.61,46.5],[6.61,46.51],[6.6,46.51],[6.6,46.5]]]"

    private static func feature(_ id: String, geometry: String, properties: String = "") -> String {
        #"{"type":"Feature","properties":{"id":"\#(id)"\#(properties)},"geometry":\#(geometry)}"#
    }

    private static func polygon(_ id: String, _ properties: String = "") -> String {
        feature(id, geometry: #"{"type":"Polygon","coordinates":\#(square)}"#, properties: properties)
    }

    private func parse(_ text: String) throws(FenceError) -> [Fence] { try GeoJSONFences.parse(Array(text.utf8)) }

    private func failure(_ text: String) -> FenceError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func featureCollectionWithEveryGeometry() throws {
        let text = #"""
            {"type": "FeatureCollection", "features": [
              \#(Self.polygon("depot", #", "name": "Depot", "dwell": 90, "hysteresis": 25"#)),
              {"type": "Feature", "properties": {"id": "two"}, "geometry": {"type": "MultiPolygon", "coordinates": [\#(Self.square), [[[7,47],[7.01,47],[7.01,47.01],[7,47]]]]}},
              {"type": "Feature", "properties": {"id": "yard", "radius": 150, "name": null}, "geometry": {"type": "Point", "coordinates": [6.63, 46.52, 410]}},
              {"type": "Feature", "properties": {"id": "road", "buffer": 30}, "geometry": {"type": "LineString", "coordinates": [[6.6, 46.5], [6.7, 46.55]]}}
            ]}
            """#
        let fences = try parse(text)
        #expect(fences.map(\.id) == ["depot", "two", "yard", "road"])
        #expect(fences[0].name == "Depot")
        #expect(fences[0].dwell == 90_000)
        #expect(fences[0].hysteresis == 25)
        #expect(fences[1].hysteresis == 10)
        #expect(fences[1].dwell == nil)
        #expect(fences[2].name == nil)
        #expect(fences[2].shape == .circle(center: Coordinate(latitude: 46.52, longitude: 6.63), radius: 150))
        if case .corridor(let path, let buffer) = fences[3].shape {
            #expect(path == [Coordinate(latitude: 46.5, longitude: 6.6), Coordinate(latitude: 46.55, longitude: 6.7)])
            #expect(buffer == 30)
        } else {
            Issue.record("not a corridor")
        }
        // [longitude, latitude] order: the square spans longitudes 6.6...6.61.
        #expect(
            fences[0].boundingBox
                == BoundingBox(minLatitude: 46.5, minLongitude: 6.6, maxLatitude: 46.51, maxLongitude: 6.61)
        )
        #expect(fences[0].signedDistance(latitude: 46.505, longitude: 6.605) < 0)
        #expect(fences[0].signedDistance(latitude: 6.605, longitude: 46.505) > 0)
    }

    @Test func singleFeatureAndArrayOfFeatures() throws {
        #expect(try parse(Self.polygon("one")).map(\.id) == ["one"])
        #expect(try parse("[\(Self.polygon("a")), \(Self.polygon("b"))]").map(\.id) == ["a", "b"])
        #expect(try parse("[]").isEmpty)
        #expect(try parse(#"{"type":"FeatureCollection","features":[]}"#).isEmpty)
        let value = try JSONValue.parse(Array(Self.polygon("solo").utf8))
        #expect(try GeoJSONFences.parseFeature(value).id == "solo")
    }

    @Test(arguments: [
        // (document, code, description)
        (
            "{", FenceError.Code.invalidJSON,
            "invalid JSON: unexpected end of input in an object; expected a member name at line 1, column 2 (byte 1)"
        ),
        (
            #"{"type":"Polygon"}"#, .invalidDocument,
            #"expected a FeatureCollection, a Feature or an array of Features, found "type": "Polygon""#
        ),
        (#"{"type":"FeatureCollection"}"#, .invalidDocument, #"FeatureCollection has no "features" array"#),
        ("[1]", .invalidFeature, "feature 0: expected a Feature object, found number"),
        (#"[{"type":"Point"}]"#, .invalidFeature, #"feature 0: "type" must be "Feature", found "type": "Point""#),
        (
            #"[{"type":"Feature","geometry":null}]"#, .missingID,
            #"feature 0: "properties" must be an object holding an "id", found null"#
        ),
        (
            #"[{"type":"Feature","properties":{},"geometry":null}]"#, .missingID,
            "feature 0: properties.id must be a non-empty string, found nothing"
        ),
        (
            #"[{"type":"Feature","properties":{"id":7},"geometry":null}]"#, .missingID,
            "feature 0: properties.id must be a non-empty string, found number"
        ),
        (
            #"[{"type":"Feature","properties":{"id":""},"geometry":null}]"#, .missingID,
            "feature 0: properties.id must be a non-empty string, found an empty string"
        ),
        (
            #"[{"type":"Feature","properties":{"id":"g"},"geometry":null}]"#, .invalidGeometry,
            #"feature 0 ("g"): "geometry" must be a geometry object, found null"#
        ),
        (
            #"[{"type":"Feature","properties":{"id":"depot"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}]"#,
            .invalidGeometry, #"feature 0 ("depot"): Polygon ring 0 has 3 positions; a closed ring needs at least 4"#
        ),
        (
            #"[{"type":"Feature","properties":{"id":"open"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}]"#,
            .invalidGeometry,
            #"feature 0 ("open"): Polygon ring 0 is not closed: its first position [0.0, 0.0] differs from its last [0.0, 1.0]"#
        ),
        (
            #"[{"type":"Feature","properties":{"id":"m"},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[1,0],[0,0]]]]}}]"#,
            .invalidGeometry,
            #"feature 0 ("m"): MultiPolygon polygon 1 ring 0 has 3 positions; a closed ring needs at least 4"#
        ),
        (
            #"[{"type":"Feature","properties":{"id":"far"},"geometry":{"type":"Polygon","coordinates":[[[46.5,200],[1,0],[1,1],[46.5,200]]]}}]"#,
            .coordinateOutOfRange,
            #"feature 0 ("far"): Polygon coordinates ring 0 position 0 [46.5, 200.0] is out of range (longitude -180...180, latitude -90...90; GeoJSON order is [longitude, latitude])"#
        ),
        (
            #"[{"type":"Feature","properties":{"id":"s"},"geometry":{"type":"Polygon","coordinates":[[[0,"0"],[1,0],[1,1],[0,0]]]}}]"#,
            .invalidGeometry,
            #"feature 0 ("s"): Polygon coordinates ring 0 position 0 must be [longitude, latitude] or [longitude, latitude, altitude] numbers"#
        ),
        (
            #"[{"type":"Feature","properties":{"id":"p"},"geometry":{"type":"Point","coordinates":[6.6,46.5]}}]"#,
            .invalidProperty, #"feature 0 ("p"): a Point fence needs properties.radius, metres > 0"#
        ),
        (
            #"[{"type":"Feature","properties":{"id":"p","radius":0},"geometry":{"type":"Point","coordinates":[6.6,46.5]}}]"#,
            .invalidProperty, #"feature 0 ("p"): a Point fence needs properties.radius, metres > 0"#
        ),
        (
            #"[{"type":"Feature","properties":{"id":"l"},"geometry":{"type":"LineString","coordinates":[[6.6,46.5],[6.7,46.5]]}}]"#,
            .invalidProperty, #"feature 0 ("l"): a LineString fence needs properties.buffer, metres > 0"#
        ),
        (
            #"[{"type":"Feature","properties":{"id":"l","buffer":5},"geometry":{"type":"LineString","coordinates":[[6.6,46.5]]}}]"#,
            .invalidGeometry, #"feature 0 ("l"): LineString has 1 position; a corridor needs at least 2"#
        ),
        (
            #"[{"type":"Feature","properties":{"id":"x"},"geometry":{"type":"MultiLineString","coordinates":[]}}]"#,
            .unsupportedGeometry,
            #"feature 0 ("x"): unsupported geometry type "MultiLineString"; expected Polygon, MultiPolygon, Point (with radius) or LineString (with buffer)"#
        ),
        (
            #"[{"type":"Feature","properties":{"id":"am","radius":50},"geometry":{"type":"Point","coordinates":[180,0]}}]"#,
            .crossesAntimeridian, #"feature 0 ("am"): the fence spans longitudes"#
        ),
    ])
    func refusesWithAPreciseReason(document: String, code: FenceError.Code, description: String) throws {
        let error = try #require(failure(document))
        #expect(error.code == code, "\(error)")
        #expect(error.description.hasPrefix(description), "\(error)")
    }

    @Test(arguments: [
        (#", "dwell": "60""#, "feature 1 (\"b\"): properties.dwell must be a number of seconds, found string"),
        (#", "dwell": -1"#, "feature 1 (\"b\"): properties.dwell must be >= 0 seconds, found -1.0"),
        (
            #", "hysteresis": true"#,
            "feature 1 (\"b\"): properties.hysteresis must be a number of metres, found boolean"
        ),
        (#", "hysteresis": -3"#, "feature 1 (\"b\"): properties.hysteresis must be >= 0 metres, found -3.0"),
        (#", "name": 5"#, "feature 1 (\"b\"): properties.name must be a string, found number"),
    ])
    func refusesBadProperties(properties: String, description: String) throws {
        let error = try #require(failure("[\(Self.polygon("a")), \(Self.polygon("b", properties))]"))
        #expect(error.code == .invalidProperty)
        #expect(error.featureIndex == 1)
        #expect(error.featureID == "b")
        #expect(error.description == description)
    }

    @Test func refusesDuplicateIDsAllOrNothing() throws {
        let text =
            #"{"type":"FeatureCollection","features":[\#(Self.polygon("a")),\#(Self.polygon("b")),\#(Self.polygon("a"))]}"#
        let error = try #require(failure(text))
        #expect(error.code == .duplicateID)
        #expect(error.description == #"feature 2 ("a"): id "a" is already used by feature 0"#)
    }

    @Test func invalidJSONKeepsItsCause() throws {
        let error = try #require(failure("[\(Self.polygon("a")),]"))
        #expect(error.code == .invalidJSON)
        #expect(error.cause?.code == .unexpectedCharacter)
    }
}
