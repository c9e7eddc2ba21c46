/// One vehicle's map-matching state: the fixes matched but not yet confirmed, and the last confirmed one.
///
/// A value the caller keeps per vehicle (a shard keeps them in an array by slot) and passes to
/// ``RoadMatcher/match(sequence:time:latitude:longitude:accuracy:state:output:)``. Its buffers are reused from fix
/// to fix.
public struct MatchState: Sendable {
    /// Fixes not yet confirmed, oldest first (at most the lag, plus the one being added).
    var pending: [MatchStep] = []
    /// The last confirmed fix that matched a road, reduced to its chosen candidate (index 0).
    var anchor: MatchStep?
    /// Steps to reuse, so their arrays keep their capacity.
    var spare: [MatchStep] = []
    /// Consecutive fixes that no candidate of the chain could reach.
    var failures = 0
    /// The time of the last fix, seconds.
    var lastTime: Double?

    /// A vehicle with no history.
    public init() {}

    /// Whether a chain is under way (some fix matched and no break since).
    public var isMatching: Bool { anchor != nil || pending.contains { !$0.candidates.isEmpty } }

    /// The index in ``pending`` of the newest step with candidates, or nil when only the anchor (or nothing) has.
    var newestLive: Int? { pending.lastIndex { !$0.candidates.isEmpty } }

    mutating func takeStep() -> MatchStep {
        var step = spare.popLast() ?? MatchStep()
        step.candidates.removeAll(keepingCapacity: true)
        step.via.removeAll(keepingCapacity: true)
        step.isFollower = false
        return step
    }

    mutating func recycle(_ step: MatchStep) {
        if spare.count < 16 { spare.append(step) }
    }
}

/// A fix in the matching lattice with its candidate road positions.
struct MatchStep: Sendable {
    var sequence = 0
    var time = 0.0
    var latitude = 0.0
    var longitude = 0.0
    var sigma = 0.0
    /// A fix too close to the previous step's to tell anything about the route (within 2 σ): it is not part of
    /// the lattice and takes its road position from the previous step's confirmed choice.
    var isFollower = false
    var candidates: [MatchCandidate] = []
    /// Edges of the candidates' paths from their back candidates.
    var via: [Int32] = []
}

/// One road position a fix may be at, with the best chain of earlier candidates that leads to it.
struct MatchCandidate: Sendable {
    var position: RoadPosition
    /// Log-probability of the best chain ending here (relative: the step's best is 0); -infinity when cut off
    /// by an earlier confirmation.
    var score: Double
    /// The candidate of the previous step with candidates that the best chain comes from; -1 starts a chain.
    var back: Int32
    var viaStart: Int32
    var viaCount: Int32
}
