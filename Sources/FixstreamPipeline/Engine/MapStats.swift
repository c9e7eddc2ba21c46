/// Counters of the map stages (with `--map`): fixes matched to a road or not, shortest-path searches run for
/// ETAs and routes, and estimates that fell back to straight lines for want of a road path.
public struct MapStats: Sendable, Equatable {
    /// Fixes the matcher put on a road.
    public var matched = 0
    /// Fixes that matched no road (off the map, or an outlier).
    public var unmatched = 0
    /// Fastest-path searches run (trip legs, re-plans of the way to the next stop).
    public var routeSearches = 0
    /// ETAs (one per fix of a vehicle on a trip) with at least one leg estimated in a straight line because no
    /// road path was found.
    public var etaFallbacks = 0

    /// No counts.
    public init() {}

    /// Whether every counter is zero.
    public var isZero: Bool { matched == 0 && unmatched == 0 && routeSearches == 0 && etaFallbacks == 0 }

    /// Adds `other` to these.
    public mutating func merge(_ other: MapStats) {
        matched += other.matched
        unmatched += other.unmatched
        routeSearches += other.routeSearches
        etaFallbacks += other.etaFallbacks
    }
}
