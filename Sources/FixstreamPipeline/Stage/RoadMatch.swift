/// Where the map matcher put the fix being processed: a position on a directed road edge of the loaded map.
///
/// Set on ``StageContext/roadMatch`` by the matching stage (when `--map` is given) for the stages after it; nil
/// when no map is loaded, the fix matched no road, or for timers. Plain numbers only: names and refs stay in the
/// graph (looked up by ``edge`` when someone asks), so handing the match on costs nothing per fix.
public struct RoadMatch: Sendable, Equatable {
    /// The directed edge of the road graph.
    public var edge: Int32
    /// Metres along the edge from its tail.
    public var offset: Float
    /// The snapped position's latitude, degrees.
    public var latitude: Double
    /// The snapped position's longitude, degrees.
    public var longitude: Double
    /// Metres between the fix and the snapped position.
    public var distance: Float
    /// The OpenStreetMap way the edge belongs to.
    public var way: Int64
    /// The road's tagged speed limit, metres per second, or 0 when it has none.
    public var speedLimit: Float

    /// Creates a match.
    public init(
        edge: Int32,
        offset: Float,
        latitude: Double,
        longitude: Double,
        distance: Float,
        way: Int64,
        speedLimit: Float
    ) {
        self.edge = edge
        self.offset = offset
        self.latitude = latitude
        self.longitude = longitude
        self.distance = distance
        self.way = way
        self.speedLimit = speedLimit
    }
}
