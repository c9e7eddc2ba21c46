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
/// 20 m noise, route error 0.35 → 0.23). Only fixes at least ``MatchConfig/minimumInterval`` apart (longer for
/// noisy fixes) enter the lattice: dense fixes cannot tell a route apart from GPS noise one by one (Newson & Krumm
/// drop fixes within 2 σ; OSRM's "tidy" keeps one in 5 s). The others still get a position at once and a confirmed
/// one on the path between the lattice fixes around them (1 s sampling with 20 m noise: 0.23 → 0.04). Viterbi runs forward one fix at a time: each fix gets its best
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
    private var bestScores: [Double] = []

    /// A matcher on `graph`.
    public init(graph: RoadGraph, config: MatchConfig = MatchConfig()) {
        self.graph = graph
        self.config = config
        search = RouteSearch(graph: graph, weight: .time)
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
        let reported = accuracy.map { $0.isFinite && $0 > 0 ? $0 : config.sigma } ?? config.sigma
        let sigma = min(config.maximumSigma, max(config.minimumSigma, reported))
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
            let current = placeNear(best, latitude: latitude, longitude: longitude, sigma: sigma)
            output.current = Double(current.distance) <= searchRadius(sigma) ? current : nil
            state.pending.append(step)
            confirmDue(&state, &output)
            return
        }
        graph.positions(
            nearLatitude: latitude,
            longitude: longitude,
            radius: searchRadius(sigma),
            limit: candidateLimit(sigma),
            into: &positions
        )
        if !positions.isEmpty {
            let connected = extend(&step, from: state)
            if !connected {
                if state.failures == 0 && state.newestLive != nil {
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
        confirmDue(&state, &output)
    }

    /// Confirms every pending fix of a vehicle and ends its chain (the vehicle stopped sending, or the caller is
    /// done with it).
    public func finish(state: inout MatchState, output: inout MatchOutput) {
        output.clear()
        flush(&state, &output)
    }

    // MARK: Viterbi

    /// The live answer for a fix that follows a lattice fix at `position`: the closest point of its edge or, once
    /// past the edge's end, of the edges leaving it (the vehicle may have turned the corner since), not turning
    /// back.
    private func placeNear(
        _ position: RoadPosition,
        latitude: Double,
        longitude: Double,
        sigma: Double
    ) -> RoadPosition {
        let edge = Int(position.edge)
        let onEdge = graph.position(onEdge: edge, nearLatitude: latitude, longitude: longitude)
        // Short of the edge's end: the vehicle has not turned off it yet.
        if Double(onEdge.offset) < graph.length(edge) - 0.5 { return onEdge }
        let twin = graph.twin(edge)
        var best = onEdge
        for next in graph.outgoing(graph.head(edge)) where next != twin {
            let candidate = graph.position(onEdge: next, nearLatitude: latitude, longitude: longitude)
            if best.edge == onEdge.edge || candidate.distance < best.distance { best = candidate }
        }
        // A fix at the junction itself is as near the cross street as the road it came on: leave the edge only
        // when a road beyond it is nearer by a standard deviation.
        return Double(best.distance) + sigma < Double(onEdge.distance) ? best : onEdge
    }

    /// How many road positions a fix of standard deviation `sigma` considers: ``MatchConfig/maxCandidates`` for
    /// accurate fixes, more for noisy ones (the search circle holds more roads), at most four times as many.
    private func candidateLimit(_ sigma: Double) -> Int {
        Int((Double(config.maxCandidates) * min(4, max(1, sigma / 10))).rounded())
    }

    /// How far from a fix of standard deviation `sigma` its road positions are looked for.
    private func searchRadius(_ sigma: Double) -> Double {
        max(config.searchRadius, 3 * sigma)
    }

    /// The newest step with candidates, pending or confirmed.
    private func previousLive(_ state: MatchState) -> MatchStep? {
        if let newest = state.newestLive { return state.pending[newest] }
        return state.anchor
    }

    /// Whether `step` comes too soon after `previous` to join the lattice: sooner than
    /// ``MatchConfig/minimumInterval``, or than the time a vehicle at town speed (``MatchConfig/townSpeed``)
    /// needs to move four standard deviations. Closer fixes cannot tell a route apart from GPS noise one by one;
    /// together, through the fixes the lattice keeps, they can.
    private func isFollower(_ step: MatchStep, of previous: MatchStep) -> Bool {
        let sigma = max(step.sigma, previous.sigma)
        return step.time - previous.time < max(config.minimumInterval, 4 * sigma / config.townSpeed)
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
        let beta = config.beta * max(1, sigma / config.sigma) * max(1, elapsed / config.betaInterval)
        let backward = max(config.backwardTolerance, 3 * sigma)
        bestScores.removeAll(keepingCapacity: true)
        bestScores.append(contentsOf: repeatElement(-.infinity, count: step.candidates.count))
        for (sourceIndex, source) in previous.candidates.enumerated() where source.score > -.infinity {
            let edge = Int(source.position.edge)
            let rest = graph.length(edge) - Double(source.position.offset)
            let twin = graph.twin(edge) ?? -1
            var searched = false
            for targetIndex in step.candidates.indices {
                // Read by value: iterating the array itself would keep it shared while `keep` writes to it
                // (a copy per fix).
                let target = step.candidates[targetIndex]
                let targetEdge = Int(target.position.edge)
                let straight = GreatCircle.shortDistance(
                    latitude1: source.position.latitude,
                    longitude1: source.position.longitude,
                    latitude2: target.position.latitude,
                    longitude2: target.position.longitude
                )
                let base = source.score + target.score
                let along = Double(target.position.offset - source.position.offset)
                if targetEdge == edge && along >= -backward {
                    // Forward along the edge, or back by GPS noise while standing or crawling: charged again
                    // for going back, so a chain that drives the road the wrong way loses to its twin.
                    let penalty = along < 0 ? -along / beta : 0
                    let score = base - abs(abs(along) - straight) / beta - penalty
                    keep(score, from: sourceIndex, for: targetIndex, in: &step, viaGraph: false)
                    continue
                }
                if targetEdge == twin {
                    // Turning round on the road: the way between the two points, and the turn's own cost.
                    let mirrored = graph.length(edge) - Double(target.position.offset)
                    let route = abs(mirrored - Double(source.position.offset))
                    let score = base - abs(route - straight) / beta - config.uTurnPenalty
                    keep(score, from: sourceIndex, for: targetIndex, in: &step, viaGraph: false)
                }
                if !searched {
                    searched = true
                    runSearch(from: edge, rest: rest, bound: bound, step: step)
                }
                guard let distance = search.distance(to: graph.tail(targetEdge)) else { continue }
                if targetEdge == twin && distance == 0 { continue }  // the turn at the junction: counted above
                let route = rest + distance + Double(target.position.offset)
                let score = base - abs(route - straight) / beta
                keep(score, from: sourceIndex, for: targetIndex, in: &step, viaGraph: true)
            }
        }
        for index in step.candidates.indices {
            step.candidates[index].score = step.candidates[index].back >= 0 ? bestScores[index] : -.infinity
        }
    }

    /// Makes `source` the predecessor of candidate `target` if `score` beats its best so far, with the path the
    /// last search found (`viaGraph`) or none.
    @inline(__always)
    private func keep(_ score: Double, from source: Int, for target: Int, in step: inout MatchStep, viaGraph: Bool) {
        guard score > bestScores[target] else { return }
        bestScores[target] = score
        step.candidates[target].back = Int32(source)
        step.candidates[target].viaStart = Int32(step.via.count)
        if viaGraph {
            search.path(to: graph.tail(Int(step.candidates[target].position.edge)), into: &step.via)
        }
        step.candidates[target].viaCount = Int32(step.via.count) - step.candidates[target].viaStart
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

    /// Confirms the oldest lattice steps while more than ``MatchConfig/lag`` are pending, and the fixes without
    /// candidates (followers, unmatched fixes) as soon as the lattice step before them is confirmed.
    private func confirmDue(_ state: inout MatchState, _ output: inout MatchOutput) {
        while let first = state.pending.first {
            if first.candidates.isEmpty || state.pending.count(where: { !$0.candidates.isEmpty }) > config.lag {
                confirmOldest(&state, &output)
            } else {
                return
            }
        }
    }

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
            let position = oldest.isFollower ? place(follower: oldest, state: state) : nil
            output.confirmed.append(
                MatchedFix(
                    sequence: oldest.sequence,
                    position: position,
                    via: here ..< here,
                    startsChain: false,
                    isInterpolated: position != nil
                )
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
                startsChain: candidate.back < 0,
                isInterpolated: false
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
        guard let newest = pending.lastIndex(where: { !$0.candidates.isEmpty }) else { return bestIndex(oldest) }
        return chosenCandidate(from: newest, downTo: -1, pending: pending) ?? bestIndex(oldest)
    }

    /// Backtracks the best chain of `pending[newest]` down to the live step at `target` (-1: the step before
    /// `pending`) and returns its candidate there, or nil when the chain starts after it.
    private func chosenCandidate(from newest: Int, downTo target: Int, pending: [MatchStep]) -> Int? {
        var live = newest
        var index = bestIndex(pending[live])
        while live > target {
            let back = Int(pending[live].candidates[index].back)
            guard back >= 0 else { return nil }
            guard let previous = pending[..<live].lastIndex(where: { !$0.candidates.isEmpty }) else {
                return target < 0 ? back : nil
            }
            live = previous
            index = back
        }
        return index
    }

    /// Where a follower goes: the closest point of the path from the anchor (the lattice fix before it) to the
    /// next lattice fix's candidate on the best chain, or of the anchor's edge when there is no next one yet.
    private func place(follower: MatchStep, state: MatchState) -> RoadPosition? {
        guard let anchor = state.anchor else { return nil }
        let start = anchor.candidates[0].position
        var best = graph.position(
            onEdge: Int(start.edge),
            nearLatitude: follower.latitude,
            longitude: follower.longitude
        )
        let radius = searchRadius(follower.sigma)
        guard let next = state.pending.firstIndex(where: { !$0.candidates.isEmpty }),
            let newest = state.pending.lastIndex(where: { !$0.candidates.isEmpty }),
            let chosen = chosenCandidate(from: newest, downTo: next, pending: state.pending),
            state.pending[next].candidates[chosen].back >= 0
        else { return Double(best.distance) <= radius ? best : nil }
        let step = state.pending[next]
        let candidate = step.candidates[chosen]
        let via = step.via[Int(candidate.viaStart) ..< Int(candidate.viaStart + candidate.viaCount)]
        for index in via.startIndex ... via.endIndex {
            let edge = index < via.endIndex ? via[index] : candidate.position.edge
            guard edge != start.edge else { continue }
            let position = graph.position(
                onEdge: Int(edge),
                nearLatitude: follower.latitude,
                longitude: follower.longitude
            )
            if position.distance < best.distance { best = position }
        }
        return Double(best.distance) <= radius ? best : nil
    }

    private func bestIndex(_ step: MatchStep) -> Int {
        var best = 0
        for index in step.candidates.indices where step.candidates[index].score > step.candidates[best].score {
            best = index
        }
        return best
    }
}
