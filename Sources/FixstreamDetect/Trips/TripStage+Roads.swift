import FixstreamGeo
import FixstreamPipeline
import FixstreamRoads
import FixstreamTrips
import FixstreamWire

/// Trips on a road map (`--map`): ETAs from travel times over the fastest road paths, and routes taken from the
/// map for trips planned without one.
///
/// - **Legs between stops** are searched once per trip (at its first fix, or its first matched fix for a trip
///   without a route), from a stop's road positions to the next one's.
/// - **The way to the next stop** is searched from the vehicle's matched position and kept (``RoadLeg``); each fix
///   then only looks its matched edge up along it. A new search runs when the next stop changes, or when the
///   vehicle left the way (at most every ``TripConfig/roadReplanInterval``; meanwhile its last answer stands).
/// - **No road answer** (no match for a while, a stop far from roads, nothing reachable within the bounds): that
///   leg is estimated as without a map, and the fix counted in ``MapStats/etaFallbacks``.
/// - **A trip without a route** gets one from the map: the fastest path from where the vehicle is at its first
///   matched fix, through its stops in order. Route deviation then judges against it as against a planned one.
///   When some stop cannot be reached over the roads, the trip goes on without a route, as without a map.
extension TripStage {
    /// Snaps the stops and searches the legs between them, and takes a route from the map for a trip without
    /// one, once per trip: at its first fix, or for a trip without a route at its first fix with a road match.
    func prepareRoads(_ state: inout Progress, trip: Trip, context: inout StageContext) {
        guard let roads, !state.plan.prepared else { return }
        let derive = trip.route == nil
        if derive {
            if let origin = state.plan.origin {
                state.plan.origin = checkedOrigin(origin, roads.graph)
            } else if let match = context.roadMatch {
                state.plan.origin = RoadPosition(
                    edge: match.edge,
                    offset: match.offset,
                    latitude: match.latitude,
                    longitude: match.longitude
                )
            }
            guard state.plan.origin != nil else { return }
        }
        state.plan.prepared = true
        state.plan.stopPositions = trip.stops.map { stop in
            roads.graph.positions(
                nearLatitude: stop.latitude,
                longitude: stop.longitude,
                radius: config.roadSnapRadius,
                limit: 8,
                into: &roads.nearby
            )
            // The nearest road, both ways, and any other as near (a stop at a corner).
            let nearest = roads.nearby.first?.distance ?? 0
            return roads.nearby.filter { $0.distance <= nearest + 10 }
        }
        state.plan.legSeconds = Array(repeating: .nan, count: trip.stops.count)
        state.plan.legMetres = Array(repeating: .nan, count: trip.stops.count)
        roads.points.removeAll(keepingCapacity: true)
        var complete = !trip.stops.isEmpty
        if derive, let origin = state.plan.origin, !trip.stops.isEmpty {
            roads.single.removeAll(keepingCapacity: true)
            roads.single.append(origin)
            roads.points.append(Coordinate(latitude: origin.latitude, longitude: origin.longitude))
            complete =
                nil
                != searchLeg(
                    from: roads.single,
                    to: state.plan.stopPositions[0],
                    stop: trip.stops[0],
                    shape: true,
                    context: &context
                )
        }
        for index in trip.stops.indices.dropFirst() {
            let found = searchLeg(
                from: state.plan.stopPositions[index - 1],
                to: state.plan.stopPositions[index],
                stop: trip.stops[index],
                shape: derive,
                context: &context
            )
            guard let found else {
                complete = false
                continue
            }
            state.plan.legSeconds[index] = found.seconds
            state.plan.legMetres[index] = found.metres
        }
        // A route with a straight piece where the roads gave no way would raise deviations on every bend there:
        // such a trip goes on without a route, as without a map.
        if derive && complete { takeRoute(&state, trip: trip, points: roads.points) }
        state.plan.pendingRoute = nil
    }

    /// Searches the fastest way from `sources` to `targets` (the road positions of `stop`), bounded by what a
    /// vehicle could need to drive there; with `shape`, appends the way's geometry to the scratch points.
    private func searchLeg(
        from sources: [RoadPosition],
        to targets: [RoadPosition],
        stop: Trip.Stop,
        shape: Bool,
        context: inout StageContext
    ) -> FastestPath? {
        guard let roads else { return nil }
        var found: FastestPath?
        if let start = sources.first, !targets.isEmpty {
            let straight = GreatCircle.shortDistance(
                latitude1: start.latitude,
                longitude1: start.longitude,
                latitude2: stop.latitude,
                longitude2: stop.longitude
            )
            roads.path.removeAll(keepingCapacity: true)
            context.mapStats.routeSearches += 1
            found = roads.search.search(
                from: sources,
                to: targets,
                maxSeconds: maxSearchSeconds(straight),
                path: &roads.path
            )
            if shape, let found {
                roads.graph.appendShape(
                    of: roads.path,
                    startOffset: Double(sources[found.source].offset),
                    endOffset: Double(targets[found.target].offset),
                    into: &roads.points
                )
            }
        }
        return found
    }

    /// The longest a search for a place `straight` metres away looks: the time to drive 4 times that distance at
    /// the typical speed, plus 5 minutes.
    private func maxSearchSeconds(_ straight: Double) -> Double {
        300 + 4 * straight / config.typicalSpeed
    }

    /// Makes `points` the trip's route, as if planned, and carries over a position along the route it had before a
    /// restart or a change when it came out the same.
    private func takeRoute(_ state: inout Progress, trip: Trip, points: [Coordinate]) {
        let path = TripPath(points.map { ($0.latitude, $0.longitude) })
        state.path = path
        state.stopAlong = path.stopPositions(trip.stops.map { ($0.latitude, $0.longitude, $0.radius) })
        if let pending = state.plan.pendingRoute, pending.length == path.length, pending.points == path.along.count {
            state.along = pending.along
            state.lastTime = pending.lastTime
            state.offRouteSince = pending.offRouteSince
            state.deviated = pending.deviated
        }
    }

    /// A restored origin on this map: as saved when its edge still runs through the saved point, else the nearest
    /// road position to the point (the map changed), or nil when no road is near.
    private func checkedOrigin(_ origin: RoadPosition, _ graph: RoadGraph) -> RoadPosition? {
        let edge = Int(origin.edge)
        if edge >= 0 && edge < graph.edgeCount {
            let point = graph.position(onEdge: edge, offset: Double(origin.offset))
            let apart = GreatCircle.shortDistance(
                latitude1: point.latitude,
                longitude1: point.longitude,
                latitude2: origin.latitude,
                longitude2: origin.longitude
            )
            if apart < 1 { return origin }
        }
        guard let roads else { return nil }
        roads.graph.positions(
            nearLatitude: origin.latitude,
            longitude: origin.longitude,
            radius: config.roadSnapRadius,
            limit: 1,
            into: &roads.nearby
        )
        return roads.nearby.first
    }

    /// The time and distance left to stop `index` along the vehicle's way there, searched again when the stop is
    /// new or the vehicle left the way; nil when there is no road answer for this fix.
    func roadWay(
        to index: Int,
        of trip: Trip,
        _ state: inout Progress,
        fix: Fix,
        context: inout StageContext
    ) -> (seconds: Double, metres: Double)? {
        guard let roads, state.plan.prepared else { return nil }
        let time = fix.time.millisecondsSinceEpoch
        if let match = context.roadMatch {
            if state.plan.target == index,
                let left = state.plan.leg.remaining(edge: match.edge, offset: Double(match.offset), graph: roads.graph)
            {
                state.plan.lastSeconds = left.seconds
                state.plan.lastMetres = left.metres
                state.plan.lastAt = time
                return left
            }
            if state.plan.target != index || time - state.plan.plannedAt >= config.roadReplanInterval {
                state.plan.target = index
                state.plan.plannedAt = time
                state.plan.leg.clear()
                state.plan.lastAt = .min
                let targets = state.plan.stopPositions[index]
                guard !targets.isEmpty else { return nil }
                roads.single.removeAll(keepingCapacity: true)
                roads.single.append(
                    RoadPosition(
                        edge: match.edge,
                        offset: match.offset,
                        latitude: match.latitude,
                        longitude: match.longitude
                    )
                )
                roads.path.removeAll(keepingCapacity: true)
                context.mapStats.routeSearches += 1
                let straight = GreatCircle.shortDistance(
                    latitude1: match.latitude,
                    longitude1: match.longitude,
                    latitude2: trip.stops[index].latitude,
                    longitude2: trip.stops[index].longitude
                )
                guard
                    let found = roads.search.search(
                        from: roads.single,
                        to: targets,
                        maxSeconds: maxSearchSeconds(straight),
                        path: &roads.path
                    )
                else { return nil }
                state.plan.leg.set(
                    path: roads.path,
                    targetOffset: Double(targets[found.target].offset),
                    graph: roads.graph
                )
                state.plan.lastSeconds = found.seconds
                state.plan.lastMetres = found.metres
                state.plan.lastAt = time
                return (found.seconds, found.metres)
            }
        }
        // No match for this fix, or off the way while a new search waits: the last answer, if recent.
        if state.plan.target == index && state.plan.lastAt != .min && time - state.plan.lastAt <= 30_000 {
            return (state.plan.lastSeconds, state.plan.lastMetres)
        }
        return nil
    }

    /// The fastest way from stop `index - 1` to stop `index`, if the map has one.
    func roadLeg(to index: Int, _ state: Progress) -> (seconds: Double, metres: Double)? {
        guard state.plan.prepared, index > 0, index < state.plan.legSeconds.count,
            !state.plan.legSeconds[index].isNaN
        else { return nil }
        return (state.plan.legSeconds[index], state.plan.legMetres[index])
    }
}
