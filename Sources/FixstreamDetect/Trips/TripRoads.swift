import FixstreamGeo
import FixstreamRoads

/// The trip follower's road map and the scratch memory of its searches: one per trip stage, so one per shard.
final class TripRoads {
    let graph: RoadGraph
    let search: FastestPathSearch
    /// Scratch: a path found, the positions near a stop, a route's points, one source position.
    var path: [Int32] = []
    var nearby: [RoadPosition] = []
    var points: [Coordinate] = []
    var single: [RoadPosition] = []

    /// The most nodes one search settles: bounds a search that finds nothing to tens of milliseconds of the shard's
    /// time, whatever the map.
    static let maxSettled = 100_000

    init(graph: RoadGraph) {
        self.graph = graph
        search = FastestPathSearch(graph: graph, maxSettled: Self.maxSettled)
    }
}
