import FixstreamGeo

#if canImport(Glibc)
    import Glibc
#endif

/// Online hidden-Markov map matching (Newson & Krumm 2009), run incrementally per vehicle with a bounded lag.
///
/// Each fix's candidates are the nearest road positions within the search radius. A candidate's emission is
/// Gaussian in its distance from the fix; the transition from a candidate of the previous fix is exponential in
/// |route distance − straight distance|, with the route distance from a bounded shortest-path search (what is
/// reachable at the top speed in the time elapsed). Unlike Newson & Krumm, the straight distance is taken between
/// the two candidates, not the two fixes: with fixes noisier than the distance driven between them, the fixes'
/// distance is mostly noise and rewards detours of that length (measured on the Monaco traces: 1 s sampling with
/// 20 m noise, route error 0.35 → 0.23). A fix within two standard deviations of the previous one tells nothing
/// about the route (Newson & Krumm drop such fixes): it stays out of the lattice and is placed on the road the
/// previous fix is confirmed on. Viterbi runs forward one fix at a time: each fix gets its best
/// position at once (``MatchOutput/current``) and a confirmed one, with the roads driven since the previous
/// confirmed fix, once ``MatchConfig/lag`` later fixes have arrived. Confirming a fix keeps only the chains
/// through its choice, so later answers never contradict it.
///
/// Breaks start a new chain instead of inventing a route: a silence over ``MatchConfig/maxGap``, or two fixes in
/// a row that no candidate of the chain can reach. A single unreachable fix (a multipath jump) or a fix with no
/// road near is left unmatched and the chain goes on past it.
///
/// One matcher per thread; it holds the search scratch. Per vehicle, the caller keeps a ``MatchState``.
public final class RoadMatcher {
    /// The road network.
    public let graph: RoadGraph
    /// The parameters.
    public let config: MatchConfig
    private let search: RouteSearch
    private var positions: [RoadPosition] = []
    private var targets: [Int32] = []
    private var viaScratch: [Int32] = []

    /// A matcher on `graph`.
    public init(graph: RoadGraph, config: MatchConfig = MatchConfig()) {
        self.graph = graph
        self.config = config
        search = RouteSearch(graph: graph)
    }

    /// Matches the next fix of a vehicle.
    /// - Parameters:
    ///   - sequence: the caller's number for the fix, echoed in ``MatchedFix/sequence``.
    ///   - time: seconds (any epoch, increasing per vehicle).
    ///   - accuracy: the fix's reported accuracy in metres (1 σ), if any.
    ///   - state: the vehicle's state.
    ///   - output: cleared, then filled with the fix's current match and the fixes confirmed.
    public func match(
        sequence: Int,
        time: Double,
        latitude: Double,
        longitude: Double,
        accuracy: Double?,
        state: inout MatchState,
        output: inout MatchOutput
    ) {
        output.clear()
        let sigma = max(config.minimumSigma, accuracy.map { $0.isFinite && $0 > 0 ? $0 : config.sigma } ?? config.sigma)
        var step = state.takeStep()
        step.sequence = sequence
        step.time = time
        step.latitude = latitude
        step.longitude = longitude
        step.sigma = sigma
        if let last = state.lastTime, time - last > config.maxGap {
            flush(&state, &output)
        }
        state.lastTime = time
        if let previous = previousLive(state), isFollower(step, of: previous) {
            step.isFollower = true
            let best = previous.candidates[bestIndex(previous)].position
            output.current = graph.position(onEdge: Int(best.edge), nearLatitude: latitude, longitude: longitude)
            state.pending.append(step)
            while state.pending.count > config.lag { confirmOldest(&state, &output) }
            return
        }
        graph.positions(
            nearLatitude: latitude,
            longitude: longitude,
            radius: max(config.searchRadius, 3 * sigma),
            limit: config.maxCandidates,
            into: &positions
        )
        if !positions.isEmpty {
            let connected = extend(&step, from: state)
            if !connected {
                if state.failures == 0 && state.isMatching {
                    state.failures += 1
                    step.candidates.removeAll(keepingCapacity: true)
                } else {
                    flush(&state, &output)
                    _ = extend(&step, from: state)
                    state.failures = 0
                }
            } else {
                state.failures = 0
            }
        }
        if let best = step.candidates.indices.max(by: { step.candidates[$0].score < step.candidates[$1].score }) {
            let top = step.candidates[best].score
            for index in step.candidates.indices { step.candidates[index].score -= top }
            output.current = step.candidates[best].position
        }
        state.pending.append(step)
        while state.pending.count > config.lag { confirmOldest(&state, &output) }
    }

    /// Confirms every pending fix of a vehicle and ends its chain (the vehicle stopped sending, or the caller is
    /// done with it).
    public func finish(state: inout MatchState, output: inout MatchOutput) {
        output.clear()
        flush(&state, &output)
    }

    // MARK: Viterbi

    /// The newest step with candidates, pending or confirmed.
    private func previousLive(_ state: MatchState) -> MatchStep? {
        if let newest = state.newestLive { return state.pending[newest] }
        return state.anchor
    }

    /// Whether `step` lies within two standard deviations of `previous`: then the two fixes cannot tell a route
    /// apart from GPS noise (Newson & Krumm drop such fixes; an online matcher still answers for them).
    private func isFollower(_ step: MatchStep, of previous: MatchStep) -> Bool {
        let distance = GreatCircle.shortDistance(
            latitude1: previous.latitude,
            longitude1: previous.longitude,
            latitude2: step.latitude,
            longitude2: step.longitude
        )
        return distance < 2 * max(step.sigma, previous.sigma)
    }

    /// Fills `step`'s candidates from ``positions``, continuing the chain of `state`'s newest live step if there
    /// is one. Returns false when there is one and no candidate can be reached from it (the step is left with
    /// unreachable candidates then).
    private func extend(_ step: inout MatchStep, from state: MatchState) -> Bool {
        step.candidates.removeAll(keepingCapacity: true)
        step.via.removeAll(keepingCapacity: true)
        let sigma = step.sigma
        for position in positions {
            let z = Double(position.distance) / sigma
            step.candidates.append(
                MatchCandidate(position: position, score: -0.5 * z * z, back: -1, viaStart: 0, viaCount: 0)
            )
        }
        let previousStep: MatchStep
        if let newest = state.newestLive {
            previousStep = state.pending[newest]
        } else if let anchor = state.anchor {
            previousStep = anchor
        } else {
            return true
        }
        transition(from: previousStep, to: &step)
        return step.candidates.contains { $0.back >= 0 }
    }

    /// Scores every candidate of `step` by its best predecessor in `previous` (Viterbi's max-product step).
    private func transition(from previous: MatchStep, to step: inout MatchStep) {
        let greatCircle = GreatCircle.shortDistance(
            latitude1: previous.latitude,
            longitude1: previous.longitude,
            latitude2: step.latitude,
            longitude2: step.longitude
        )
        let elapsed = max(1, step.time - previous.time)
        let sigma = max(previous.sigma, step.sigma)
        let slack = 4 * sigma
        // The longest route worth searching: what the top speed reaches in the time, and no more than a winding
        // road needs (three times the straight distance, or 15 m per second elapsed beyond it: Monaco's
        // hairpins at 60 s sampling), plus the candidates' own along-road uncertainty.
        let winding = max(3 * greatCircle, greatCircle + max(200, 15 * elapsed))
        let bound = min(winding, config.maxSpeed * elapsed) + slack
        let beta = config.beta * max(1, sigma / config.sigma)
        let backward = max(config.backwardTolerance, 3 * sigma)
        var best = [Double](repeating: -.infinity, count: step.candidates.count)
        for (sourceIndex, source) in previous.candidates.enumerated() where source.score > -.infinity {
            let edge = Int(source.position.edge)
            let rest = graph.length(edge) - Double(source.position.offset)
            var searched = false
            for (targetIndex, target) in step.candidates.enumerated() {
                var route: Double
                var viaGraph = false
                var penalty = 0.0
                let along = Double(target.position.offset - source.position.offset)
                if target.position.edge == source.position.edge && along >= -backward {
                    // Forward along the edge, or back by GPS noise while standing or crawling: charged again
                    // for going back, so a chain that drives the road the wrong way loses to its twin.
                    route = abs(along)
                    if along < 0 { penalty = -along / beta }
                } else {
                    if !searched {
                        searched = true
                        runSearch(from: edge, rest: rest, bound: bound, step: step)
                    }
                    let targetEdge = Int(target.position.edge)
                    guard let distance = search.distance(to: graph.tail(targetEdge)) else { continue }
                    if targetEdge == graph.twin(edge) && distance == 0 && graph.outgoing(graph.head(edge)).count > 1 {
                        continue  // a U-turn where the road goes on
                    }
                    route = rest + distance + Double(target.position.offset)
                    viaGraph = true
                }
                let straight = GreatCircle.shortDistance(
                    latitude1: source.position.latitude,
                    longitude1: source.position.longitude,
                    latitude2: target.position.latitude,
                    longitude2: target.position.longitude
                )
                let score = source.score + step.candidates[targetIndex].score - abs(route - straight) / beta - penalty
                guard score > best[targetIndex] else { continue }
                best[targetIndex] = score
                step.candidates[targetIndex].back = Int32(sourceIndex)
                step.candidates[targetIndex].viaStart = Int32(step.via.count)
                if viaGraph {
                    search.path(to: graph.tail(Int(target.position.edge)), into: &step.via)
                }
                step.candidates[targetIndex].viaCount = Int32(step.via.count) - step.candidates[targetIndex].viaStart
            }
        }
        for index in step.candidates.indices {
            step.candidates[index].score = step.candidates[index].back >= 0 ? best[index] : -.infinity
        }
    }

    /// Searches from the head of `edge`, towards the tails of the step's candidate edges.
    private func runSearch(from edge: Int, rest: Double, bound: Double, step: MatchStep) {
        targets.removeAll(keepingCapacity: true)
        for candidate in step.candidates { targets.append(Int32(graph.tail(Int(candidate.position.edge)))) }
        let avoiding = graph.twin(edge).map(Int32.init) ?? -1
        targets.withUnsafeBufferPointer { targets in
            search.search(from: graph.head(edge), bound: max(0, bound - rest), targets: targets, avoiding: avoiding)
        }
    }

    // MARK: Confirmation

    /// Confirms every pending step and ends the chain.
    private func flush(_ state: inout MatchState, _ output: inout MatchOutput) {
        while !state.pending.isEmpty { confirmOldest(&state, &output) }
        if let anchor = state.anchor { state.recycle(anchor) }
        state.anchor = nil
        state.failures = 0
    }

    /// Confirms the oldest pending step: its candidate on the best chain of the newest step.
    private func confirmOldest(_ state: inout MatchState, _ output: inout MatchOutput) {
        var oldest = state.pending.removeFirst()
        guard !oldest.candidates.isEmpty else {
            let here = output.path.count
            var position: RoadPosition?
            if oldest.isFollower, let anchor = state.anchor {
                position = graph.position(
                    onEdge: Int(anchor.candidates[0].position.edge),
                    nearLatitude: oldest.latitude,
                    longitude: oldest.longitude
                )
            }
            output.confirmed.append(
                MatchedFix(sequence: oldest.sequence, position: position, via: here ..< here, startsChain: false)
            )
            state.recycle(oldest)
            return
        }
        let chosen = chosenCandidate(of: oldest, pending: state.pending)
        let candidate = oldest.candidates[chosen]
        let start = output.path.count
        output.path.append(
            contentsOf: oldest.via[Int(candidate.viaStart) ..< Int(candidate.viaStart + candidate.viaCount)]
        )
        output.confirmed.append(
            MatchedFix(
                sequence: oldest.sequence,
                position: candidate.position,
                via: start ..< output.path.count,
                startsChain: candidate.back < 0
            )
        )
        // The confirmed candidate becomes the anchor (index 0); chains not through it are cut.
        oldest.candidates.removeAll(keepingCapacity: true)
        oldest.candidates.append(
            MatchCandidate(position: candidate.position, score: 0, back: -1, viaStart: 0, viaCount: 0)
        )
        oldest.via.removeAll(keepingCapacity: true)
        if let previousAnchor = state.anchor { state.recycle(previousAnchor) }
        state.anchor = oldest
        var previousLive: Int? = nil
        for index in state.pending.indices where !state.pending[index].candidates.isEmpty {
            for candidateIndex in state.pending[index].candidates.indices {
                let back = Int(state.pending[index].candidates[candidateIndex].back)
                guard back >= 0 else { continue }
                let alive: Bool
                if let previousLive {
                    alive = state.pending[previousLive].candidates[back].score > -.infinity
                } else {
                    alive = back == chosen
                    state.pending[index].candidates[candidateIndex].back = 0
                }
                if !alive { state.pending[index].candidates[candidateIndex].score = -.infinity }
            }
            previousLive = index
        }
    }

    /// The candidate of `oldest` (the step before `pending`) on the best chain of the newest live step, or its
    /// own best when no later step has candidates.
    private func chosenCandidate(of oldest: MatchStep, pending: [MatchStep]) -> Int {
        guard var live = pending.lastIndex(where: { !$0.candidates.isEmpty }) else { return bestIndex(oldest) }
        var index = bestIndex(pending[live])
        while true {
            let back = Int(pending[live].candidates[index].back)
            guard back >= 0 else { return bestIndex(oldest) }  // a chain started after `oldest`
            guard let previous = pending[..<live].lastIndex(where: { !$0.candidates.isEmpty }) else { return back }
            live = previous
            index = back
        }
    }

    private func bestIndex(_ step: MatchStep) -> Int {
        var best = 0
        for index in step.candidates.indices where step.candidates[index].score > step.candidates[best].score {
            best = index
        }
        return best
    }
}
