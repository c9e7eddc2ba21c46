public import FixstreamJSON

/// Why a fence (or a GeoJSON fence document) was refused.
///
/// `code` is a stable, extensible identifier for programs; `message` says precisely what is wrong. When the fence
/// came from a GeoJSON document, `featureIndex` (0-based) and `featureID` (once known) say which feature, and the
/// description reads `feature 3 ("depot"): Polygon ring 0 has 3 positions; a closed ring needs at least 4`.
public struct FenceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The identifier, snake_case.
        public let rawValue: String

        /// Creates a code.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The identifier.
        public var description: String { rawValue }

        /// The bytes are not a JSON text (see ``FenceError/cause``).
        public static let invalidJSON = Code("invalid_json")
        /// The document is not a FeatureCollection, a Feature or an array of Features.
        public static let invalidDocument = Code("invalid_document")
        /// A feature is malformed (not an object, wrong `type`, no geometry, `properties` not an object).
        public static let invalidFeature = Code("invalid_feature")
        /// `properties.id` is missing, empty or not a string.
        public static let missingID = Code("missing_id")
        /// Two features share an id.
        public static let duplicateID = Code("duplicate_id")
        /// A feature stored under one id carries another in `properties.id`.
        public static let idMismatch = Code("id_mismatch")
        /// A geometry type other than Polygon, MultiPolygon, Point and LineString.
        public static let unsupportedGeometry = Code("unsupported_geometry")
        /// Coordinates are malformed: wrong nesting, non-numbers, too few positions, an unclosed ring.
        public static let invalidGeometry = Code("invalid_geometry")
        /// A longitude outside -180...180 or a latitude outside -90...90 (or not finite).
        public static let coordinateOutOfRange = Code("coordinate_out_of_range")
        /// A fence spanning more than 180° of longitude: one crossing the antimeridian.
        public static let crossesAntimeridian = Code("crosses_antimeridian")
        /// A property (`radius`, `buffer`, `dwell`, `hysteresis`, `name`) is missing where required, of the
        /// wrong type, negative or not finite.
        public static let invalidProperty = Code("invalid_property")
    }

    /// The kind of problem.
    public var code: Code
    /// What is wrong, without the feature prefix.
    public var message: String
    /// 0-based index of the feature in the document, if the fence came from one.
    public var featureIndex: Int?
    /// The feature's `properties.id`, once known.
    public var featureID: String?
    /// The JSON syntax error behind an ``Code/invalidJSON`` error.
    public var cause: JSONParseError?

    /// Creates an error.
    public init(
        _ code: Code,
        _ message: String,
        featureIndex: Int? = nil,
        featureID: String? = nil,
        cause: JSONParseError? = nil
    ) {
        self.code = code
        self.message = message
        self.featureIndex = featureIndex
        self.featureID = featureID
        self.cause = cause
    }

    /// `feature <index> ("<id>"): <message>`, with the parts that are known.
    public var description: String {
        switch (featureIndex, featureID) {
        case (let index?, let id?): "feature \(index) (\"\(id)\"): \(message)"
        case (let index?, nil): "feature \(index): \(message)"
        case (nil, let id?): "fence \"\(id)\": \(message)"
        case (nil, nil): message
        }
    }
}
