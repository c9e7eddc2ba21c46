import FixstreamRoads

/// What the trip follower keeps per vehicle to time its trip on the road map: where its stops are on the roads,
/// the fastest ways between consecutive stops, and its way to the next stop, advanced fix by fix.
///
/// Built on the trip's first fix (the legs between stops: one search each) and re-planned only when the vehicle
/// leaves its way to the next stop or that stop changes, so a fix costs a lookup along the cached way. Not
/// checkpointed (it is rebuilt after a restart) except ``origin``, where a route taken from the map starts.
struct RoadPlan {
    /// Whether the stops were snapped and the legs between them searched.
    var prepared = false
    /// Every stop's road positions: the nearest road (both directions) and any other road as near; none when the
    /// stop is far from every road.
    var stopPositions: [[RoadPosition]] = []
    /// For stop `i` > 0, the fastest way from stop `i - 1`: seconds and metres, or NaN without a road path.
    var legSeconds: [Double] = []
    var legMetres: [Double] = []
    /// The stop the vehicle's way leads to (-1: none yet), the way, and when it was last searched (ms).
    var target = -1
    var leg = RoadLeg()
    var plannedAt = Int64.min
    /// The time and distance left to ``target`` at the last fix that had them, and that fix's time (ms).
    var lastSeconds = 0.0
    var lastMetres = 0.0
    var lastAt = Int64.min
    /// For a trip without a planned route: where the route taken from the map starts (the vehicle's road position
    /// at its first matched fix of the trip).
    var origin: RoadPosition?
    /// A restored or carried-over position along a route taken from the map, applied once the route is taken
    /// again if it comes out the same (same length and number of points).
    var pendingRoute: PendingRoute?

    /// Progress along a route taken from the map, waiting for the route to be rebuilt.
    struct PendingRoute {
        var length: Double
        var points: Int
        var along: Double
        var lastTime: Int64?
        var offRouteSince: Int64?
        var deviated: Bool
    }
}
