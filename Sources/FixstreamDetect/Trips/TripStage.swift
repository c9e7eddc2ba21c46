import FixstreamGeo
public import FixstreamPipeline
public import FixstreamRoads
import FixstreamTrips
public import FixstreamWire

/// Follows each vehicle along its planned trip: stop arrivals and departures, skipped stops, route deviation and
/// a rolling ETA for every remaining stop, with `stop.approaching`, `eta.changed` and `eta.late`.
///
/// - **Arrival** once the vehicle stops inside a stop's radius less the margin (10 m): a fix there reporting
///   walking speed, or staying ``TripConfig/arrivalConfirmation`` (20 s); dated at the first fix inside. Driving
///   through a stop is no arrival. **Departure** on staying out of it by more than the margin for
///   ``TripConfig/departureConfirmation`` (dated when it left). Stops are visited in order; arriving at a later
///   stop (staying there, whatever the speed) first marks the ones before it skipped.
/// - **Deviation** (only with a planned `route`): farther than ``TripConfig/deviationDistance`` from the rest of
///   the route for ``TripConfig/deviationTime``, dated when it left; `route.rejoin` once back within 80 % of that
///   distance for ``TripConfig/rejoinConfirmation``, dated when it came back. The rest of the route starts a
///   little behind the vehicle's progress along it, which moves to the first stretch the vehicle is on, only as
///   far as it can have driven since and never past the next stop. Without a route there is no deviation:
///   straight lines between stops would cry wolf on every bend.
/// - **ETA**, on every fix for every remaining stop: the distance still to drive (along the route, or straight
///   lines times ``TripConfig/detourFactor``) over a speed that blends the vehicle's recent moving speed with a
///   typical one, plus the service times of the stops before it (and what is left of the current one). With a
///   road map, the travel time over the fastest road paths instead, and a trip without a route gets one from the
///   map (see `TripStage+Roads.swift`).
///   `stop.approaching` once for the next stop, en route (not while serving the previous one), when its ETA is
///   under ``TripConfig/approachingTime`` or it is closer than ``TripConfig/approachingDistance``. The first ETA of a stop is its baseline (no alert);
///   `eta.changed` when it has moved by more than ``TripConfig/etaChange`` since the last one announced, at most
///   once a minute per stop; `eta.late` once when it passes the end of the stop's window by more than
///   ``TripConfig/lateMargin``.
public final class TripStage: PipelineStage {
    enum Status: UInt8 {
        case pending, arrived, departed, skipped

        var name: String {
            switch self {
            case .pending: "pending"
            case .arrived: "arrived"
            case .departed: "departed"
            case .skipped: "skipped"
            }
        }
    }

    struct Progress {
        var vehicle: VehicleID
        var tripIndex: Int
        var path: TripPath?
        var stopAlong: [Double] = []
        var status: [Status]
        var approached: [Bool]
        var late: [Bool]
        var announced: [Int64?]
        var announcedAt: [Int64]
        var next = 0
        var atStop: Int?
        /// When the vehicle at a stop was first seen outside it (departure not yet confirmed). Not checkpointed:
        /// after a restart the confirmation starts again, at most ``TripConfig/departureConfirmation`` late.
        var leftStopAt: Int64?
        /// The stop the vehicle was last seen inside of (not yet arrived) and the first fix in a row inside it: the
        /// arrival needs it to stay for ``TripConfig/arrivalConfirmation``, so driving through a stop's radius (or
        /// one multipath fix in a later stop's) is no arrival. Not checkpointed.
        var entered: (stop: Int, time: Int64)?
        var arrivedAt: Int64 = 0
        var along = 0.0
        var speed = 0.0
        var lastLatitude = 0.0
        var lastLongitude = 0.0
        var lastTime: Int64?
        var offRouteSince: Int64?
        var deviated = false
        /// When an off-route vehicle was first seen back near its route (not yet confirmed). Not checkpointed: after a
        /// restart the confirmation starts again.
        var backSince: Int64?
        /// When a fix last placed the vehicle on its route (``along`` then was where it was): how far it may have
        /// come along since bounds how far the next fix may move ``along``. Not checkpointed: ``lastTime`` at the
        /// first fix after a restart or a change stands in.
        var pinnedAt: Int64?
        /// With a road map: the stops on the roads, the legs between them and the way to the next stop.
        var plan = RoadPlan()
        /// Ids of the trips this vehicle has finished: never followed again, whatever the order of a new list.
        var done: [String] = []
        /// Per stop: actual arrival and departure, current ETA and distance (for the state API).
        var times: [StopTimes] = []
        /// The final reports of the trips finished, for the state API.
        var history: [TripReport] = []
    }

    struct StopTimes {
        var arrived: Int64?
        var departed: Int64?
        var eta: Int64?
        var distance: Double?
    }

    /// One ETA, for observers (`process --eta`).
    public struct Estimate: Sendable {
        /// The stop.
        public var stop: String
        /// Its status: pending, arrived, departed, skipped.
        public var status: String
        /// Estimated arrival (nil once arrived, departed or skipped).
        public var eta: Timestamp?
        /// Distance still to drive, metres.
        public var distance: Double?
    }

    let control: LiveControl
    var version: Int
    var book: TripBook
    let config: TripConfig
    /// The road map and search scratch, with `--map`.
    let roads: TripRoads?
    var progress: [Progress?] = []
    /// Called after every fix of a vehicle on a trip with the current estimates (for `process --eta`).
    public var observer: ((VehicleID, Timestamp, String, [Estimate]) -> Void)?

    /// A trip follower over the trips in `book`, on the road map `roads` if given.
    public convenience init(book: TripBook, config: TripConfig = TripConfig(), roads: RoadGraph? = nil) {
        self.init(control: LiveControl(trips: book), config: config, roads: roads)
    }

    /// A trip follower over the trips of `control`, following its replacements. With a road map, ETAs come from
    /// travel times over the fastest road paths and trips without a route get one from the map (the stage then
    /// needs a ``RoadMatchStage`` before it).
    public init(control: LiveControl, config: TripConfig = TripConfig(), roads: RoadGraph? = nil) {
        let snapshot = control.snapshot
        self.control = control
        version = snapshot.version
        book = snapshot.trips
        self.config = config
        self.roads = roads.map(TripRoads.init)
    }

    /// Arrivals, departures, deviation and ETAs for one fix.
    public func process(_ fix: Fix, context: inout StageContext) {
        if control.version != version { adopt(control.snapshot) }
        if progress.count <= context.slot {
            progress.append(contentsOf: repeatElement(nil, count: context.slot + 1 - progress.count))
        }
        guard let trips = book.byVehicle[context.vehicle] else { return }
        var state = progress[context.slot].take() ?? start(trips[0], index: 0, vehicle: context.vehicle)
        follow(&state, trips: trips, fix: fix, context: &context)
        // Moved back, not copied: a copy would retain every list of the vehicle's progress on every fix.
        progress[context.slot] = consume state
    }

    /// Arrivals, departures, deviation and ETAs for one fix of a vehicle with `trips`.
    private func follow(_ state: inout Progress, trips: [Trip], fix: Fix, context: inout StageContext) {
        guard state.tripIndex < trips.count else { return }
        let trip = trips[state.tripIndex]
        let time = fix.time.millisecondsSinceEpoch
        updateSpeed(&state, fix: fix)
        if roads != nil { prepareRoads(&state, trip: trip, context: &context) }
        stops(&state, trip: trip, fix: fix, context: &context)
        if state.path != nil { deviation(&state, trip: trip, fix: fix, context: &context) }
        let estimates = estimate(&state, trip: trip, fix: fix, context: &context, listing: observer != nil)
        observer?(context.vehicle, fix.time, trip.id, estimates)
        state.lastLatitude = fix.latitude
        state.lastLongitude = fix.longitude
        state.lastTime = time
        // The trip is over once its last stop is behind: the next one (if any) starts.
        if state.next >= trip.stops.count && state.atStop == nil {
            state = following(
                in: trips,
                done: state.done + [trip.id],
                history: state.history + [report(state, trip: trip)],
                vehicle: context.vehicle
            )
        }
    }

    // MARK: State API

    /// The vehicle's trip under way and its next stop with the current ETA, as `,"trip":{…}`.
    public func describe(slot: Int, into view: inout VehicleView) {
        guard slot < progress.count, let state = progress[slot], let trips = book.byVehicle[state.vehicle],
            state.tripIndex < trips.count
        else { return }
        let trip = trips[state.tripIndex]
        var json = JSONMembers(into: view.members)
        json.open("trip")
        json.string("id", trip.id)
        if let current = state.atStop {
            json.string("at_stop", trip.stops[current].id)
        }
        if let next = trip.stops.indices.first(where: { state.status[$0] == .pending }) {
            json.open("next_stop")
            json.string("id", trip.stops[next].id)
            json.time("eta", state.times[next].eta.map { Timestamp(millisecondsSinceEpoch: $0) })
            json.number("distance", state.times[next].distance?.rounded())
            json.close()
        }
        json.close()
        view.members = json.bytes
    }

    /// Where the trip `id` of `vehicle` stands (nil when this stage has no such trip), `slot` being the vehicle's
    /// slot in this shard (nil when its shard never saw it: the trip is then planned, every stop pending).
    public func report(trip id: String, vehicle: VehicleID, slot: Int?) -> TripReport? {
        guard let trips = book.byVehicle[vehicle], let trip = trips.first(where: { $0.id == id }) else { return nil }
        if let slot, slot < progress.count, let state = progress[slot] {
            if let finished = state.history.last(where: { $0.trip == id }) { return finished }
            if state.tripIndex < trips.count && trips[state.tripIndex].id == id { return report(state, trip: trip) }
        }
        return TripReport(
            trip: trip.id,
            vehicle: vehicle,
            status: "planned",
            stops: trip.stops.map { stop in
                TripReport.Stop(
                    id: stop.id,
                    status: "pending",
                    tracking: stop.tracking,
                    windowStart: stop.windowStart,
                    windowEnd: stop.windowEnd
                )
            }
        )
    }

    private func report(_ state: Progress, trip: Trip) -> TripReport {
        let finished = state.next >= trip.stops.count && state.atStop == nil
        return TripReport(
            trip: trip.id,
            vehicle: state.vehicle,
            status: finished ? "finished" : "active",
            stops: trip.stops.indices.map { index in
                let stop = trip.stops[index]
                let times = state.times[index]
                let pending = state.status[index] == .pending
                return TripReport.Stop(
                    id: stop.id,
                    status: pending && state.approached[index] ? "approaching" : state.status[index].name,
                    eta: pending ? times.eta.map { Timestamp(millisecondsSinceEpoch: $0) } : nil,
                    distance: pending ? times.distance : nil,
                    arrived: times.arrived.map { Timestamp(millisecondsSinceEpoch: $0) },
                    departed: times.departed.map { Timestamp(millisecondsSinceEpoch: $0) },
                    tracking: stop.tracking,
                    windowStart: stop.windowStart,
                    windowEnd: stop.windowEnd
                )
            }
        )
    }

    /// Progress on the first of `trips` not yet done (or none left).
    func following(in trips: [Trip], done: [String], history: [TripReport], vehicle: VehicleID) -> Progress {
        var progress =
            trips.firstIndex { !done.contains($0.id) }.map { start(trips[$0], index: $0, vehicle: vehicle) }
            ?? finished(index: trips.count, vehicle: vehicle)
        progress.done = done
        progress.history = history
        return progress
    }

    private func finished(index: Int, vehicle: VehicleID) -> Progress {
        Progress(
            vehicle: vehicle,
            tripIndex: index,
            status: [],
            approached: [],
            late: [],
            announced: [],
            announcedAt: []
        )
    }

    /// Moves to new trips. A vehicle's trips already driven stay done, wherever they are in the new list. The trip
    /// under way, if it is still there, goes on: its progress carries over stop by stop (by stop id: a stop added
    /// or moved in a running trip keeps the others' arrivals and announced ETAs), and a changed route is located
    /// afresh on the next fix. Otherwise the vehicle starts the first of its trips not yet done.
    func adopt(_ snapshot: LiveControl.Snapshot) {
        version = snapshot.version
        guard snapshot.trips !== book else { return }
        let old = book
        book = snapshot.trips
        for slot in progress.indices {
            guard let state = progress[slot] else { continue }
            let before = old.byVehicle[state.vehicle] ?? []
            let after = book.byVehicle[state.vehicle] ?? []
            guard before != after else { continue }
            // The trip under way goes on wherever it now is in the list; otherwise the first trip not done.
            if state.tripIndex < before.count,
                let index = after.firstIndex(where: { $0.id == before[state.tripIndex].id })
            {
                var moved = carry(state, from: before[state.tripIndex], to: after[index], index: index)
                moved.done = state.done
                moved.history = state.history
                progress[slot] = moved
            } else {
                progress[slot] = following(in: after, done: state.done, history: state.history, vehicle: state.vehicle)
            }
        }
    }

    /// The progress on `old` moved onto its replacement `new`, stop by stop.
    private func carry(_ state: Progress, from old: Trip, to new: Trip, index: Int) -> Progress {
        guard old != new else {
            var moved = state
            moved.tripIndex = index
            return moved
        }
        var moved = start(new, index: index, vehicle: state.vehicle)
        var oldPositions: [String: Int] = [:]
        for (position, stop) in old.stops.enumerated() { oldPositions[stop.id] = position }
        for (position, stop) in new.stops.enumerated() {
            guard let was = oldPositions[stop.id] else { continue }
            moved.status[position] = state.status[was]
            moved.approached[position] = state.approached[was]
            moved.late[position] = state.late[was]
            moved.announced[position] = state.announced[was]
            moved.announcedAt[position] = state.announcedAt[was]
            moved.times[position] = state.times[was]
            if state.atStop == was { moved.atStop = position }
            if moved.status[position] != .pending { moved.next = position + 1 }
        }
        moved.arrivedAt = state.arrivedAt
        moved.speed = state.speed
        moved.lastLatitude = state.lastLatitude
        moved.lastLongitude = state.lastLongitude
        if roads != nil && old.route == nil && new.route == nil {
            // A route from the map is taken again from the same start, for the new stops: the position along it
            // carries over only if it comes out the same.
            moved.plan.origin = state.plan.origin
            if let path = state.path {
                moved.plan.pendingRoute = RoadPlan.PendingRoute(
                    length: path.length,
                    points: path.along.count,
                    along: state.along,
                    lastTime: state.lastTime,
                    offRouteSince: state.offRouteSince,
                    deviated: state.deviated
                )
            }
        } else if old.route == new.route {
            moved.along = state.along
            moved.lastTime = state.lastTime
            moved.offRouteSince = state.offRouteSince
            moved.deviated = state.deviated
        }
        return moved
    }

    func start(_ trip: Trip, index: Int, vehicle: VehicleID) -> Progress {
        var state = Progress(
            vehicle: vehicle,
            tripIndex: index,
            status: Array(repeating: .pending, count: trip.stops.count),
            approached: Array(repeating: false, count: trip.stops.count),
            late: Array(repeating: false, count: trip.stops.count),
            announced: Array(repeating: nil, count: trip.stops.count),
            announcedAt: Array(repeating: .min, count: trip.stops.count)
        )
        state.times = Array(repeating: StopTimes(), count: trip.stops.count)
        if let route = trip.route {
            let path = TripPath(route.map { ($0.latitude, $0.longitude) })
            state.path = path
            state.stopAlong = path.stopPositions(trip.stops.map { ($0.latitude, $0.longitude, $0.radius) })
        }
        return state
    }

    private func updateSpeed(_ state: inout Progress, fix: Fix) {
        var observed: Double?
        if let speed = fix.speed {
            observed = Double(speed)
        } else if let last = state.lastTime, fix.time.millisecondsSinceEpoch > last {
            let metres = GreatCircle.shortDistance(
                latitude1: state.lastLatitude,
                longitude1: state.lastLongitude,
                latitude2: fix.latitude,
                longitude2: fix.longitude
            )
            observed = metres / (Double(fix.time.millisecondsSinceEpoch - last) / 1000)
        }
        // Only moving samples count: a vehicle serving a stop or waiting at a light keeps its travel speed, and
        // its ETAs move with the clock while it waits.
        if let observed, observed >= 1 {
            state.speed = state.speed == 0 ? observed : 0.8 * state.speed + 0.2 * min(observed, 60)
        }
    }

    private func distance(_ fix: Fix, _ stop: Trip.Stop) -> Double {
        GreatCircle.shortDistance(
            latitude1: fix.latitude,
            longitude1: fix.longitude,
            latitude2: stop.latitude,
            longitude2: stop.longitude
        )
    }

    private func stops(_ state: inout Progress, trip: Trip, fix: Fix, context: inout StageContext) {
        let time = fix.time.millisecondsSinceEpoch
        if let current = state.atStop {
            let stop = trip.stops[current]
            guard distance(fix, stop) > stop.radius + config.margin else {
                state.leftStopAt = nil
                return
            }
            guard let left = state.leftStopAt else {
                state.leftStopAt = time
                return
            }
            guard time - left >= config.departureConfirmation else { return }
            state.status[current] = .departed
            state.times[current].departed = left
            state.atStop = nil
            state.leftStopAt = nil
            emit(
                .stopDeparted,
                trip,
                stop,
                fix: fix,
                context: &context,
                time: left,
                extra: [
                    AlertField("arrived", .time(Timestamp(millisecondsSinceEpoch: state.arrivedAt))),
                    AlertField("duration", .number(Double(left - state.arrivedAt) / 1000)),
                ]
            )
            return
        }
        for index in state.next ..< trip.stops.count where state.status[index] == .pending {
            let stop = trip.stops[index]
            guard distance(fix, stop) < stop.radius - min(config.margin, stop.radius / 2) else { continue }
            let time = state.entered.flatMap { $0.stop == index ? $0.time : nil } ?? time
            state.entered = (index, time)
            // At the next stop, a vehicle that has slowed to a walk is there; otherwise (no speed reported, still
            // moving, or a later stop that would skip pending ones) it must stay.
            let skipping = (state.next ..< index).contains { state.status[$0] == .pending }
            let halted = !skipping && fix.speed.map { $0 < Self.arrivalSpeed } == true
            guard halted || fix.time.millisecondsSinceEpoch - time >= config.arrivalConfirmation else { return }
            state.entered = nil
            for skipped in state.next ..< index where state.status[skipped] == .pending {
                state.status[skipped] = .skipped
            }
            state.status[index] = .arrived
            state.times[index].arrived = time
            state.atStop = index
            state.leftStopAt = nil
            state.arrivedAt = time
            state.next = index + 1
            var extra: [AlertField] = []
            if let end = stop.windowEnd, time > end.millisecondsSinceEpoch {
                extra.append(AlertField("late_by", .number(Double(time - end.millisecondsSinceEpoch) / 1000)))
            }
            emit(.stopArrived, trip, stop, fix: fix, context: &context, time: time, extra: extra)
            return
        }
        state.entered = nil
    }

    /// A vehicle inside its next stop reporting less than this speed (m/s) has arrived without waiting for the
    /// confirmation.
    static let arrivalSpeed: Float = 2

    /// The fastest a vehicle is taken to move along its route (180 km/h), and the slack on top (noise, metres):
    /// one fix may move the progress along the route at most this far past where the last fix placed it.
    static let progressSpeed = 50.0
    static let progressSlack = 50.0

    private func deviation(_ state: inout Progress, trip: Trip, fix: Fix, context: inout StageContext) {
        guard let path = state.path else { return }
        let time = fix.time.millisecondsSinceEpoch
        // How far the vehicle is from the rest of its route (from a little behind its progress, for noise), and the
        // first stretch from there it is on. The progress moves to that stretch only as far as the vehicle can
        // have driven since the last fix that placed it: a multipath fix near a later stretch (a route that comes
        // back along the same street, or passes nearby) does not move it there. A progress left behind makes no
        // false deviation (the whole rest of the route counts) and catches up as the time since grows.
        let near = min(config.deviationDistance / 2, max(25, 2 * Double(fix.accuracy ?? 0)))
        let probe = path.probe(
            latitude: fix.latitude,
            longitude: fix.longitude,
            from: state.along - 200,
            radius: config.deviationDistance * 1.5,
            near: near
        )
        // Unknown after a restart or a change of trips: the last fix stands in, once (a stand-in renewed with every
        // fix would hold a progress left behind to 100 m past where it is, for good).
        if state.pinnedAt == nil { state.pinnedAt = state.lastTime }
        if let ahead = probe.firstNear {
            let since = state.pinnedAt
            let reach = since.map { Self.progressSlack + Self.progressSpeed * Double(max(0, time - $0)) / 1000 }
            // Nor past the next stop: a vehicle that has not reached it is not beyond it on its route, even where a
            // detour takes it across a later stretch first.
            let nextStop = state.next < state.stopAlong.count ? state.stopAlong[state.next] : .infinity
            if ahead <= min(state.along + (reach ?? .infinity), nextStop) {
                state.along = max(state.along, ahead)
                state.pinnedAt = time
            }
        }
        let offset = probe.offset ?? .infinity
        if offset > config.deviationDistance {
            state.backSince = nil
            if state.offRouteSince == nil { state.offRouteSince = time }
            if !state.deviated, let since = state.offRouteSince, time - since >= config.deviationTime {
                state.deviated = true
                let distance = path.distance(latitude: fix.latitude, longitude: fix.longitude, from: state.along - 200)
                emit(
                    .routeDeviation,
                    trip,
                    nil,
                    fix: fix,
                    context: &context,
                    time: since,
                    extra: [
                        AlertField("distance", .number(distance.rounded()))
                    ]
                )
            }
        } else if offset <= config.deviationDistance * 0.8, let since = state.offRouteSince {
            // Back once near the route for a while (one multipath fix near it is not a return), dated from the
            // first fix back.
            let back = state.backSince ?? time
            state.backSince = back
            guard time - back >= config.rejoinConfirmation else { return }
            if state.deviated {
                emit(
                    .routeRejoin,
                    trip,
                    nil,
                    fix: fix,
                    context: &context,
                    time: back,
                    extra: [
                        AlertField("duration", .number(Double(back - since) / 1000))
                    ]
                )
            }
            state.deviated = false
            state.offRouteSince = nil
            state.backSince = nil
        }
    }

    /// Updates every pending stop's ETA and distance, announcing changes; returns the estimates of every stop when
    /// `listing` (for the observer), none otherwise (so a fix allocates nothing for them).
    private func estimate(
        _ state: inout Progress,
        trip: Trip,
        fix: Fix,
        context: inout StageContext,
        listing: Bool
    ) -> [Estimate] {
        let time = fix.time.millisecondsSinceEpoch
        let speed = 0.5 * min(max(state.speed, 2), 35) + 0.5 * config.typicalSpeed
        var estimates: [Estimate] = []
        var clock = Double(time)
        // Still serving the current stop: its remaining service comes first.
        if let current = state.atStop {
            clock = max(clock, Double(state.arrivedAt + trip.stops[current].service))
        }
        var previous: Int? = nil
        var previousAlong = state.along
        var fellBack = false
        var total = 0.0
        for index in trip.stops.indices {
            let stop = trip.stops[index]
            guard state.status[index] == .pending else {
                if listing {
                    estimates.append(Estimate(stop: stop.id, status: state.status[index].name, eta: nil, distance: nil))
                }
                state.times[index].eta = nil
                state.times[index].distance = nil
                continue
            }
            // With a road map: the way there, or the leg from the stop before, over the roads.
            var road: (seconds: Double, metres: Double)?
            if roads != nil {
                if let previous {
                    road = previous == index - 1 ? roadLeg(to: index, state) : nil
                } else {
                    road = roadWay(to: index, of: trip, &state, fix: fix, context: &context)
                }
                if road == nil { fellBack = true }
            }
            var leg: Double
            if state.path != nil {
                leg = max(0, state.stopAlong[index] - previousAlong)
                previousAlong = state.stopAlong[index]
            } else {
                let from =
                    previous.map { (trip.stops[$0].latitude, trip.stops[$0].longitude) } ?? (
                        fix.latitude, fix.longitude
                    )
                leg =
                    config.detourFactor
                    * GreatCircle.shortDistance(
                        latitude1: from.0,
                        longitude1: from.1,
                        latitude2: stop.latitude,
                        longitude2: stop.longitude
                    )
            }
            if let road {
                leg = road.metres
                clock += road.seconds * 1000
            } else {
                clock += leg / speed * 1000
            }
            let eta = Int64(clock.rounded())
            total += leg
            if listing {
                estimates.append(
                    Estimate(
                        stop: stop.id,
                        status: "pending",
                        eta: Timestamp(millisecondsSinceEpoch: eta),
                        distance: total
                    )
                )
            }
            state.times[index].eta = eta
            state.times[index].distance = total
            announce(&state, trip: trip, index: index, eta: eta, distance: total, fix: fix, context: &context)
            clock += Double(stop.service)
            previous = index
        }
        if fellBack { context.mapStats.etaFallbacks += 1 }
        return estimates
    }

    private func announce(
        _ state: inout Progress,
        trip: Trip,
        index: Int,
        eta: Int64,
        distance: Double,
        fix: Fix,
        context: inout StageContext
    ) {
        let stop = trip.stops[index]
        let time = fix.time.millisecondsSinceEpoch
        let etaField = AlertField("eta", .time(Timestamp(millisecondsSinceEpoch: eta)))
        let distanceField = AlertField("distance", .number(distance.rounded()))
        // Not for a stop the vehicle is already in (first seen there, or its arrival not yet confirmed).
        if index == state.next && state.atStop == nil && !state.approached[index] && state.entered?.stop != index
            && (eta - time < config.approachingTime || self.distance(fix, stop) < config.approachingDistance)
        {
            state.approached[index] = true
            emit(.stopApproaching, trip, stop, fix: fix, context: &context, extra: [etaField, distanceField])
        }
        if let last = state.announced[index] {
            if abs(eta - last) > config.etaChange && time - state.announcedAt[index] >= 60_000 {
                state.announced[index] = eta
                state.announcedAt[index] = time
                emit(
                    .etaChanged,
                    trip,
                    stop,
                    fix: fix,
                    context: &context,
                    extra: [
                        etaField, AlertField("previous", .time(Timestamp(millisecondsSinceEpoch: last))), distanceField,
                    ]
                )
            }
        } else {
            state.announced[index] = eta
            state.announcedAt[index] = time
        }
        if let end = stop.windowEnd?.millisecondsSinceEpoch, !state.late[index], eta > end + config.lateMargin {
            state.late[index] = true
            emit(
                .etaLate,
                trip,
                stop,
                fix: fix,
                context: &context,
                extra: [
                    etaField, AlertField("window_end", .time(Timestamp(millisecondsSinceEpoch: end))),
                    AlertField("late_by", .number((Double(eta - end) / 1000).rounded())),
                ]
            )
        }
    }

    private func emit(
        _ type: AlertType,
        _ trip: Trip,
        _ stop: Trip.Stop?,
        fix: Fix,
        context: inout StageContext,
        time: Int64? = nil,
        extra: [AlertField]
    ) {
        var fields = [AlertField("trip", .string(trip.id))]
        if let stop {
            fields.append(AlertField("stop", .string(stop.id)))
            if let tracking = stop.tracking { fields.append(AlertField("tracking", .string(tracking))) }
        }
        context.emit(
            Alert(
                type: type,
                vehicle: context.vehicle,
                time: time.map { Timestamp(millisecondsSinceEpoch: $0) } ?? fix.time,
                latitude: fix.latitude,
                longitude: fix.longitude,
                fields: fields + extra
            )
        )
    }
}
