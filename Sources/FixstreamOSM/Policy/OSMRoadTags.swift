public import FixstreamRoads

/// What the tag policy read from a way it keeps: everything a ``RoadWay`` needs except the id and the nodes.
public struct OSMRoadTags: Sendable, Equatable {
    /// The road class from `highway`.
    public var roadClass: RoadClass
    /// The directions a motor vehicle may drive along the way's node order.
    public var direction: RoadDirection
    /// The `maxspeed` limit in metres per second, or nil when untagged or not a plain number with a unit.
    public var speedLimit: Float?
    /// The `name` tag, or empty.
    public var name: String
    /// The `ref` tag, or empty.
    public var ref: String
    /// Whether access is restricted to some traffic (see ``RoadWay/isRestricted``).
    public var isRestricted: Bool

    /// Creates the tags of a kept way.
    public init(
        roadClass: RoadClass,
        direction: RoadDirection,
        speedLimit: Float? = nil,
        name: String = "",
        ref: String = "",
        isRestricted: Bool = false
    ) {
        self.roadClass = roadClass
        self.direction = direction
        self.speedLimit = speedLimit
        self.name = name
        self.ref = ref
        self.isRestricted = isRestricted
    }

    /// The road way with these tags, for the way `id` along `nodes`.
    public func way(id: Int64, nodes: [Int64]) -> RoadWay {
        RoadWay(
            id: id,
            nodes: nodes,
            direction: direction,
            roadClass: roadClass,
            speedLimit: speedLimit,
            name: name,
            ref: ref,
            isRestricted: isRestricted
        )
    }
}
