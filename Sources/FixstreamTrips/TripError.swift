public import FixstreamJSON

/// Why a trip (or a document of trips) was refused.
///
/// `code` is a stable, extensible identifier for programs; `message` says precisely what is wrong. The trip is
/// named by id once known (by its 0-based index in the document before that), the stop by 0-based index and id,
/// and the description reads `trip "T1": stop 2 ("S3"): lat 95 out of range`.
public struct TripError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The identifier, snake_case.
        public let rawValue: String

        /// Creates a code.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The identifier.
        public var description: String { rawValue }

        /// The bytes are not a JSON text (see ``TripError/cause``).
        public static let invalidJSON = Code("invalid_json")
        /// The document is neither a trip object nor an array of them, or a trip is not an object.
        public static let invalidDocument = Code("invalid_document")
        /// `id` is missing, empty or not a string.
        public static let missingID = Code("missing_id")
        /// Two trips of one document share an id.
        public static let duplicateID = Code("duplicate_id")
        /// The id given with a single trip differs from the trip's own `id`.
        public static let idMismatch = Code("id_mismatch")
        /// `vehicle` is missing or not a valid vehicle id.
        public static let invalidVehicle = Code("invalid_vehicle")
        /// `stops` is missing, empty or not an array, or a stop is not an object.
        public static let invalidStops = Code("invalid_stops")
        /// A stop's `id` is missing, empty, not a string, or already used by another stop of the trip.
        public static let invalidStopID = Code("invalid_stop_id")
        /// A latitude outside -90...90 or a longitude outside -180...180, or a missing or non-numeric one.
        public static let coordinateOutOfRange = Code("coordinate_out_of_range")
        /// `radius`, `service` or `tracking` has the wrong type or an impossible value.
        public static let invalidProperty = Code("invalid_property")
        /// `window` is not an object, its times are not RFC 3339, or it ends before it starts.
        public static let invalidWindow = Code("invalid_window")
        /// `route` is not a LineString geometry (or a Feature with one) of at least 2 valid positions.
        public static let invalidRoute = Code("invalid_route")
    }

    /// The kind of problem.
    public var code: Code
    /// What is wrong, without the trip and stop prefix.
    public var message: String
    /// 0-based index of the trip in its document.
    public var tripIndex: Int?
    /// The trip's `id`, once known.
    public var tripID: String?
    /// 0-based index of the stop at fault in the trip's `stops`.
    public var stopIndex: Int?
    /// The `id` of the stop at fault, once known.
    public var stopID: String?
    /// The JSON syntax error behind an ``Code/invalidJSON`` error.
    public var cause: JSONParseError?

    /// Creates an error.
    public init(
        _ code: Code,
        _ message: String,
        tripIndex: Int? = nil,
        tripID: String? = nil,
        stopIndex: Int? = nil,
        stopID: String? = nil,
        cause: JSONParseError? = nil
    ) {
        self.code = code
        self.message = message
        self.tripIndex = tripIndex
        self.tripID = tripID
        self.stopIndex = stopIndex
        self.stopID = stopID
        self.cause = cause
    }

    /// `trip "<id>": stop <index> ("<id>"): <message>`, with the parts that are known (`trip <index>` when the
    /// trip's id is not).
    public var description: String {
        var text = ""
        if let tripID {
            text += "trip \"\(tripID)\": "
        } else if let tripIndex {
            text += "trip \(tripIndex): "
        }
        if let stopIndex {
            text += "stop \(stopIndex)"
            if let stopID { text += " (\"\(stopID)\")" }
            text += ": "
        }
        return text + message
    }
}
