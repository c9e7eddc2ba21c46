/// One routable OpenStreetMap way, as the importer hands it to ``RoadNetworkBuilder``: its node ids in order and
/// what the tags say about driving on it.
public struct RoadWay: Sendable, Equatable {
    /// The OSM way id.
    public var id: Int64
    /// The OSM node ids in way order (at least two; the builder needs each one's position).
    public var nodes: [Int64]
    /// Which ways a motor vehicle may drive along it.
    public var direction: RoadDirection
    /// The road class from the `highway` tag.
    public var roadClass: RoadClass
    /// The tagged speed limit (`maxspeed`) in metres per second, or nil when untagged or unreadable.
    public var speedLimit: Float?
    /// The `name` tag, or empty.
    public var name: String
    /// The `ref` tag (road number), or empty.
    public var ref: String
    /// Whether only some traffic may use the way (`private`, `destination`, `delivery`, `customers`): a van may be
    /// there to deliver, but routes should not pass through (its travel speed is capped at ``restrictedSpeed``).
    public var isRestricted: Bool

    /// Creates a way.
    public init(
        id: Int64,
        nodes: [Int64],
        direction: RoadDirection,
        roadClass: RoadClass,
        speedLimit: Float? = nil,
        name: String = "",
        ref: String = "",
        isRestricted: Bool = false
    ) {
        self.id = id
        self.nodes = nodes
        self.direction = direction
        self.roadClass = roadClass
        self.speedLimit = speedLimit
        self.name = name
        self.ref = ref
        self.isRestricted = isRestricted
    }

    /// The travel speed on restricted ways, metres per second (15 km/h): slow enough that a route only enters
    /// them to reach a place on them.
    public static let restrictedSpeed: Float = 15 / 3.6

    /// The speed used for travel times, metres per second: the speed limit when tagged, else the class default.
    public var travelSpeed: Float {
        var speed = roadClass.defaultSpeed
        if let speedLimit, speedLimit > 0 { speed = min(speedLimit, roadClass.defaultSpeed * 1.5) }
        return isRestricted ? min(speed, Self.restrictedSpeed) : speed
    }
}

/// Which directions along a way's node order a motor vehicle may drive.
public enum RoadDirection: UInt8, Sendable, Equatable {
    /// Both ways.
    case both
    /// Only in node order (`oneway=yes`, roundabouts, motorways).
    case forward
    /// Only against node order (`oneway=-1`).
    case backward
}

/// The `highway` values a motor vehicle may use, with the default speeds for travel times when no `maxspeed` is
/// tagged (urban-leaning values: a delivery fleet spends its day in towns).
public enum RoadClass: UInt8, Sendable, CaseIterable, Equatable {
    case motorway
    case motorwayLink
    case trunk
    case trunkLink
    case primary
    case primaryLink
    case secondary
    case secondaryLink
    case tertiary
    case tertiaryLink
    case unclassified
    case residential
    case livingStreet
    case service
    /// Agricultural and forest tracks: drivable, slowly.
    case track

    /// The class a `highway` tag value names, or nil for values motor vehicles do not use (footway, cycleway,
    /// steps, path, pedestrian, track, construction, proposed, ...).
    public init?(highway: String) {
        switch highway {
        case "motorway": self = .motorway
        case "motorway_link": self = .motorwayLink
        case "trunk": self = .trunk
        case "trunk_link": self = .trunkLink
        case "primary": self = .primary
        case "primary_link": self = .primaryLink
        case "secondary": self = .secondary
        case "secondary_link": self = .secondaryLink
        case "tertiary": self = .tertiary
        case "tertiary_link": self = .tertiaryLink
        case "unclassified", "road": self = .unclassified
        case "residential": self = .residential
        case "living_street": self = .livingStreet
        case "service": self = .service
        case "track": self = .track
        default: return nil
        }
    }

    /// The OSM `highway` value.
    public var highway: String {
        switch self {
        case .motorway: "motorway"
        case .motorwayLink: "motorway_link"
        case .trunk: "trunk"
        case .trunkLink: "trunk_link"
        case .primary: "primary"
        case .primaryLink: "primary_link"
        case .secondary: "secondary"
        case .secondaryLink: "secondary_link"
        case .tertiary: "tertiary"
        case .tertiaryLink: "tertiary_link"
        case .unclassified: "unclassified"
        case .residential: "residential"
        case .livingStreet: "living_street"
        case .service: "service"
        case .track: "track"
        }
    }

    /// Whether ways of this class are one-way unless tagged otherwise (motorways and their links).
    public var isImpliedOneway: Bool {
        self == .motorway || self == .motorwayLink
    }

    /// Travel speed in metres per second when no `maxspeed` is tagged.
    public var defaultSpeed: Float {
        let kmh: Float =
            switch self {
            case .motorway: 110
            case .motorwayLink: 60
            case .trunk: 80
            case .trunkLink: 50
            case .primary: 50
            case .primaryLink: 40
            case .secondary: 45
            case .secondaryLink: 35
            case .tertiary: 40
            case .tertiaryLink: 30
            case .unclassified: 35
            case .residential: 30
            case .livingStreet: 10
            case .service: 15
            case .track: 15
            }
        return kmh / 3.6
    }
}
