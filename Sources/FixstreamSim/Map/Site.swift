/// A place vehicles drive to: the depot or a customer, at a point of a road.
struct Site: Sendable {
    /// The fence id and the stop id in trips: `depot` or `site-0042`.
    var id: String
    /// A display name.
    var name: String
    /// Where it is on the road.
    var spot: RoadSpot
    /// The same point on the plane.
    var point: PlanePoint
    /// Its fence's radius, metres.
    var fenceRadius: Double
}

/// A point on a directed edge, `offset` metres (on the plane) from its tail. On a two-way road the same point is
/// also on the twin edge, at the edge's length minus `offset`.
struct RoadSpot: Sendable, Equatable {
    var edge: Int
    var offset: Double
}
