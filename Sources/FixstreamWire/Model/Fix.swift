/// One position fix of one vehicle: the unit that flows through Fixstream.
///
/// Required: vehicle, time, latitude and longitude. Everything else is optional and `nil` when the source did not
/// report it. Units are SI whatever the wire said (knots and km/h are converted on decode).
public struct Fix: Hashable, Sendable {
    /// Which vehicle reported the fix.
    public var vehicle: VehicleID
    /// UTC time of the fix (the receiver's time, not the time it arrived).
    public var time: Timestamp
    /// WGS 84 latitude in degrees, -90...90.
    public var latitude: Double
    /// WGS 84 longitude in degrees, -180...180.
    public var longitude: Double
    /// Speed over ground in metres per second.
    public var speed: Float?
    /// Course over ground in degrees true, 0..<360.
    public var course: Float?
    /// Altitude in metres above mean sea level.
    public var altitude: Double?
    /// Horizontal dilution of precision.
    public var hdop: Float?
    /// Satellites used in the solution.
    public var satellites: UInt8?
    /// Estimated horizontal accuracy in metres (1 sigma or as the source defines it).
    public var accuracy: Float?
    /// How the receiver computed the position, when it said so.
    public var quality: FixQuality
    /// Whether the solution is 2D or 3D, when the source said so.
    public var mode: FixMode
    /// The wire format the fix was decoded from.
    public var source: FixSource

    /// Creates a fix; optional values default to unknown.
    public init(
        vehicle: VehicleID,
        time: Timestamp,
        latitude: Double,
        longitude: Double,
        speed: Float? = nil,
        course: Float? = nil,
        altitude: Double? = nil,
        hdop: Float? = nil,
        satellites: UInt8? = nil,
        accuracy: Float? = nil,
        quality: FixQuality = .unknown,
        mode: FixMode = .unknown,
        source: FixSource
    ) {
        self.vehicle = vehicle
        self.time = time
        self.latitude = latitude
        self.longitude = longitude
        self.speed = speed
        self.course = course
        self.altitude = altitude
        self.hdop = hdop
        self.satellites = satellites
        self.accuracy = accuracy
        self.quality = quality
        self.mode = mode
        self.source = source
    }

    /// Whether a latitude/longitude pair is a position on Earth (finite and within range).
    @inlinable
    public static func isValidCoordinate(latitude: Double, longitude: Double) -> Bool {
        latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180
    }
}

/// How a position was obtained: NMEA GGA quality and mode indicators, gpsd status.
public enum FixQuality: UInt8, Sendable, CaseIterable {
    /// The source did not say.
    case unknown
    /// Autonomous GNSS (GGA quality 1, mode indicator `A`).
    case autonomous
    /// Differential (DGPS, SBAS).
    case differential
    /// Precise (PPS / military) positioning.
    case precise
    /// RTK with fixed integers.
    case rtkFixed
    /// RTK with float integers.
    case rtkFloat
    /// Dead reckoning or otherwise estimated (alone, or blended with a satellite solution).
    case estimated
    /// Entered by hand.
    case manual
    /// From a simulator.
    case simulated

    /// Stable lowercase name used in JSON output.
    public var name: String {
        switch self {
        case .unknown: "unknown"
        case .autonomous: "gps"
        case .differential: "dgps"
        case .precise: "pps"
        case .rtkFixed: "rtk"
        case .rtkFloat: "rtk-float"
        case .estimated: "estimated"
        case .manual: "manual"
        case .simulated: "simulated"
        }
    }

    /// ``name`` as static text, for matching bytes without making strings.
    private var staticName: StaticString {
        switch self {
        case .unknown: "unknown"
        case .autonomous: "gps"
        case .differential: "dgps"
        case .precise: "pps"
        case .rtkFixed: "rtk"
        case .rtkFloat: "rtk-float"
        case .estimated: "estimated"
        case .manual: "manual"
        case .simulated: "simulated"
        }
    }

    /// The quality whose ``name`` the bytes spell, or ``unknown``.
    public init(name bytes: UnsafeRawBufferPointer) {
        self = .unknown
        for quality in Self.allCases where JSONScanner.matches(bytes, quality.staticName) {
            self = quality
            return
        }
    }
}

/// Dimension of the solution, from NMEA GSA or gpsd `mode`.
public enum FixMode: UInt8, Sendable, CaseIterable {
    /// The source did not say.
    case unknown
    /// Two-dimensional: latitude and longitude only.
    case twoD
    /// Three-dimensional: with altitude.
    case threeD
}

/// The wire format a fix came from.
public enum FixSource: UInt8, Sendable, CaseIterable {
    /// NMEA 0183 sentences.
    case nmea
    /// Fixstream's native JSON.
    case json
    /// A gpsd `TPV` report.
    case gpsd
    /// An OwnTracks `location` message.
    case owntracks
    /// The OsmAnd HTTP protocol.
    case osmand

    /// Stable lowercase name used in JSON output and metrics.
    public var name: String {
        switch self {
        case .nmea: "nmea"
        case .json: "json"
        case .gpsd: "gpsd"
        case .owntracks: "owntracks"
        case .osmand: "osmand"
        }
    }
}
