/// Why input was refused. Each reason has a stable ``name`` used in metrics and CLI summaries.
///
/// A reject is always counted; it never stops decoding. Input that is valid but carries nothing for us (a GSV
/// sentence, a comment) is not a reject: see ``IgnoredKind``.
public enum RejectReason: UInt8, Sendable, CaseIterable {
    // Framing
    /// A line or JSON object longer than the configured cap.
    case tooLong
    /// A line that is neither an NMEA sentence nor JSON (in `auto`), or not of the forced format.
    case unrecognized
    /// The vehicle id was too long or held forbidden characters.
    case badVehicleID
    /// No vehicle id was known for the record (none on the wire and none given from outside).
    case missingVehicleID

    // NMEA sentence level
    /// The `*hh` checksum did not match.
    case badChecksum
    /// A sentence with too few fields, a bad address, a truncated checksum or unparsable numbers.
    case malformedSentence

    // Fix level (NMEA epochs and JSON objects alike)
    /// A time that cannot exist (25:61:00, 31 February, an unparsable timestamp).
    case badTime
    /// Coordinates missing from an otherwise valid fix.
    case missingCoordinates
    /// Latitude or longitude out of range or not a number.
    case badCoordinates
    /// RMC status `V`, or a GLL/RMC mode indicator `N`: the receiver says the position is not valid.
    case statusVoid
    /// GGA fix quality 0.
    case noFixQuality
    /// GSA fix mode 1.
    case noFixMode
    /// GNS mode indicators all `N`.
    case noFixGNS
    /// gpsd TPV with mode 0 or 1.
    case noFixReported
    /// A time-of-day fix for which no date (RMC or ZDA) ever arrived.
    case noDate

    // JSON
    /// Not well-formed JSON.
    case malformedJSON
    /// A required field (time, latitude, longitude) is missing.
    case missingField
    /// A field has the wrong type or an impossible value.
    case badValue

    /// Stable name for metrics and summaries.
    public var name: String {
        switch self {
        case .tooLong: "too_long"
        case .unrecognized: "unrecognized"
        case .badVehicleID: "bad_vehicle_id"
        case .missingVehicleID: "missing_vehicle_id"
        case .badChecksum: "bad_checksum"
        case .malformedSentence: "malformed_sentence"
        case .badTime: "bad_time"
        case .missingCoordinates: "missing_coordinates"
        case .badCoordinates: "bad_coordinates"
        case .statusVoid: "invalid_fix.status_void"
        case .noFixQuality: "invalid_fix.gga_quality_0"
        case .noFixMode: "invalid_fix.gsa_mode_1"
        case .noFixGNS: "invalid_fix.gns_mode_n"
        case .noFixReported: "invalid_fix.no_fix_mode"
        case .noDate: "no_date"
        case .malformedJSON: "malformed_json"
        case .missingField: "missing_field"
        case .badValue: "bad_value"
        }
    }
}

/// Input that was understood and deliberately not turned into a fix. Counted, never an error.
public enum IgnoredKind: UInt8, Sendable, CaseIterable {
    /// A line starting with `#`.
    case comment
    /// An NMEA sentence type we do not use (GSV, TXT, GST, ...).
    case otherSentence
    /// A proprietary `$P...` sentence other than `$PFXID`.
    case proprietary
    /// An AIS `!AIVDM`-style encapsulated sentence.
    case ais
    /// A JSON message that is not a position (gpsd SKY/VERSION, OwnTracks lwt/transition, ...).
    case otherMessage

    /// Stable name for metrics and summaries.
    public var name: String {
        switch self {
        case .comment: "comment"
        case .otherSentence: "other_sentence"
        case .proprietary: "proprietary"
        case .ais: "ais"
        case .otherMessage: "other_message"
        }
    }
}
