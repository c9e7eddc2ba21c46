/// The matcher's final word on one fix: the road position chosen once later fixes confirmed it, and the roads
/// driven to get there from the previous matched fix.
public struct MatchedFix: Sendable, Equatable {
    /// The number the caller gave the fix.
    public var sequence: Int
    /// The road position, or nil when the fix matched no road (off the map, an outlier).
    public var position: RoadPosition?
    /// The edges driven between the previous matched fix's edge and this one's, both excluded, as a range of
    /// ``MatchOutput/path``. Empty on the same edge or next to it.
    public var via: Range<Int>
    /// Whether this fix starts a new chain (the first fix, or after a break): no path leads to it.
    public var startsChain: Bool
    /// Whether the fix was placed on the path between the lattice fixes around it rather than matched on its
    /// own (it came too soon after the previous one): it moves the route on only along the road it is on.
    public var isInterpolated: Bool
}

/// What one call of ``RoadMatcher/match(sequence:time:latitude:longitude:accuracy:state:output:)`` produces.
/// The caller keeps one and the matcher clears it on each call, so nothing is allocated per fix.
public struct MatchOutput: Sendable {
    /// The best road position for the fix just given, on what is known now (lag 0); nil when it matched nothing.
    public var current: RoadPosition?
    /// Fixes confirmed by this call, oldest first.
    public var confirmed: [MatchedFix] = []
    /// The edges the ``MatchedFix/via`` ranges point into.
    public var path: [Int32] = []

    /// An empty output.
    public init() {}

    mutating func clear() {
        current = nil
        confirmed.removeAll(keepingCapacity: true)
        path.removeAll(keepingCapacity: true)
    }
}
