public import FixstreamPipeline
import FixstreamRoads
import FixstreamTrips
import FixstreamWire

/// Checkpoints: the trip under way with its progress stop by stop, and the trips already driven, by id.
///
/// After a restart the vehicle goes on with its trip: stops arrived at or departed from stay so (no second
/// `stop.arrived`), announced ETAs and `stop.approaching` are not repeated, a deviation in progress stays one.
/// Trips and stops are found again by id in the trips of the restart, as when trips change while running: a
/// stop added to a running trip starts pending, a trip removed since makes the vehicle start its first trip not
/// yet driven, and a changed route is located afresh on the next fix (a route counts as unchanged when its
/// length and number of points are). A route taken from the road map keeps where it started, so it is taken
/// again from there after the restart (the position along it carries over if it comes out the same). Not kept:
/// the final reports of finished trips (`GET /trips/{id}` shows a trip finished before the restart as planned),
/// the ETA observer's state, and the road map's legs and ways to the next stop (searched again).
extension TripStage {
    /// `trip`.
    public var checkpointName: String { "trip" }

    /// Version 1: the ids of trips driven; then, when a trip is under way, its id, its route's length and
    /// points, every stop's id and progress, the stop being served, and where the vehicle was along the route.
    /// Version 2 (only for a trip under way whose route was taken from the road map): the same, then where that
    /// route starts (edge, offset, latitude, longitude).
    public func checkpoint(slot: Int, into writer: inout CheckpointWriter) {
        guard slot < progress.count, let state = progress[slot] else { return }
        let trips = book.byVehicle[state.vehicle] ?? []
        let origin = state.tripIndex < trips.count ? state.plan.origin : nil
        writer.writeVersion(origin == nil ? 1 : 2)
        writer.write(count: state.done.count)
        for id in state.done { writer.write(id) }
        guard state.tripIndex < trips.count else { return writer.write(false) }
        let trip = trips[state.tripIndex]
        writer.write(true)
        writer.write(trip.id)
        // A route from the map not taken again since a restart or a change is saved as it was.
        let pending = state.path == nil ? state.plan.pendingRoute : nil
        let route = state.path.map { (length: $0.length, points: $0.along.count) }
        writer.write(route ?? pending.map { (length: $0.length, points: $0.points) }) { writer, route in
            writer.write(route.length)
            writer.write(route.points)
        }
        writer.write(count: trip.stops.count)
        for (position, stop) in trip.stops.enumerated() {
            writer.write(stop.id)
            writer.write(state.status[position].rawValue)
            writer.write(state.approached[position])
            writer.write(state.late[position])
            writer.write(state.announced[position])
            if state.announced[position] != nil { writer.write(state.announcedAt[position]) }
            let times = state.times[position]
            writer.write(times.arrived)
            writer.write(times.departed)
            writer.write(times.eta)
            writer.write(times.distance)
        }
        writer.write(state.atStop.map { trip.stops[$0].id }) { $0.write($1) }
        writer.write(state.arrivedAt)
        writer.write(pending?.along ?? state.along)
        writer.write(state.speed)
        writer.write(state.lastLatitude)
        writer.write(state.lastLongitude)
        writer.write(pending != nil ? pending?.lastTime : state.lastTime)
        writer.write(pending != nil ? pending?.offRouteSince : state.offRouteSince)
        writer.write(pending?.deviated ?? state.deviated)
        if let origin {
            writer.write(Int(origin.edge))
            writer.write(Double(origin.offset))
            writer.write(origin.latitude)
            writer.write(origin.longitude)
        }
    }

    /// Restores the trip under way (or starts the first trip not yet driven when it is gone).
    public func restore(
        slot: Int,
        from reader: inout CheckpointReader,
        context: inout StageContext
    ) throws(CheckpointError) {
        if control.version != version { adopt(control.snapshot) }
        let format = try reader.readVersion(1 ... 2)
        var done: [String] = []
        for _ in 0 ..< (try reader.readCount()) { done.append(try reader.readString()) }
        let saved = try reader.readOptional { reader throws(CheckpointError) in
            try SavedTrip(from: &reader, format: format)
        }
        try reader.expectEnd()

        let trips = book.byVehicle[context.vehicle] ?? []
        var state: Progress
        if let saved, let index = trips.firstIndex(where: { $0.id.utf8.elementsEqual(saved.id.utf8) }) {
            state = start(trips[index], index: index, vehicle: context.vehicle)
            saved.apply(to: &state, trip: trips[index])
        } else {
            state = following(in: trips, done: done, history: [], vehicle: context.vehicle)
        }
        state.done = done
        if progress.count <= slot {
            progress.append(contentsOf: repeatElement(nil, count: slot + 1 - progress.count))
        }
        progress[slot] = state
    }

    /// A trip under way as a checkpoint holds it, read in full before anything changes.
    private struct SavedTrip {
        struct Stop {
            var status: Status
            var approached: Bool
            var late: Bool
            var announced: Int64?
            var announcedAt: Int64
            var times: StopTimes
        }

        var id: String
        var route: (length: Double, points: Int)?
        var stops: [String: Stop] = [:]
        var atStop: String?
        var arrivedAt: Int64 = 0
        var along = 0.0
        var speed = 0.0
        var lastLatitude = 0.0
        var lastLongitude = 0.0
        var lastTime: Int64?
        var offRouteSince: Int64?
        var deviated = false
        var origin: RoadPosition?

        init(from reader: inout CheckpointReader, format: UInt8) throws(CheckpointError) {
            id = try reader.readString()
            route = try reader.readOptional { reader throws(CheckpointError) in
                (try reader.readDouble(), try reader.readInt())
            }
            // A stop takes at least 9 bytes: its id's length, its status, two flags, five presence bytes.
            for _ in 0 ..< (try reader.readCount(minimumSize: 9)) {
                let id = try reader.readString()
                guard let status = Status(rawValue: try reader.readByte()) else {
                    throw reader.failure(.malformed, "an unknown stop status")
                }
                let approached = try reader.readBool()
                let late = try reader.readBool()
                let announced = try reader.readOptionalInt64()
                let announcedAt = announced == nil ? Int64.min : try reader.readInt64()
                let times = StopTimes(
                    arrived: try reader.readOptionalInt64(),
                    departed: try reader.readOptionalInt64(),
                    eta: try reader.readOptionalInt64(),
                    distance: try reader.readOptionalDouble()
                )
                stops[id] = Stop(
                    status: status,
                    approached: approached,
                    late: late,
                    announced: announced,
                    announcedAt: announcedAt,
                    times: times
                )
            }
            atStop = try reader.readOptional { reader throws(CheckpointError) in try reader.readString() }
            arrivedAt = try reader.readInt64()
            along = try reader.readDouble()
            speed = try reader.readDouble()
            lastLatitude = try reader.readDouble()
            lastLongitude = try reader.readDouble()
            lastTime = try reader.readOptionalInt64()
            offRouteSince = try reader.readOptionalInt64()
            deviated = try reader.readBool()
            // Whatever a fix computes from these stays finite: an ETA is an Int64 of milliseconds.
            guard along.isFinite && abs(along) <= 1e8, speed.isFinite && speed >= 0 && speed <= 1_000,
                abs(arrivedAt) <= 1 << 52
            else { throw reader.failure(.malformed, "a trip position, speed or arrival out of range") }
            if format >= 2 {
                let edge = try reader.readInt()
                let offset = try reader.readDouble()
                let latitude = try reader.readDouble()
                let longitude = try reader.readDouble()
                guard edge >= 0 && edge <= Int(Int32.max),
                    Fix.isValidCoordinate(latitude: latitude, longitude: longitude)
                else { throw reader.failure(.malformed, "a route start off the map") }
                origin = RoadPosition(
                    edge: Int32(edge),
                    offset: Float(max(0, min(offset, 1e7))),
                    latitude: latitude,
                    longitude: longitude
                )
            }
        }

        /// Carries the progress over to `trip` (as it is now) stop by stop, like a trip changed while running.
        func apply(to state: inout Progress, trip: Trip) {
            for (position, stop) in trip.stops.enumerated() {
                guard let was = stops[stop.id] else { continue }
                state.status[position] = was.status
                state.approached[position] = was.approached
                state.late[position] = was.late
                state.announced[position] = was.announced
                state.announcedAt[position] = was.announcedAt
                state.times[position] = was.times
                if was.status == .arrived && atStop == stop.id { state.atStop = position }
                if was.status != .pending { state.next = position + 1 }
            }
            state.arrivedAt = arrivedAt
            state.speed = speed
            state.lastLatitude = lastLatitude
            state.lastLongitude = lastLongitude
            if trip.route == nil, let origin, let route {
                // The route from the map is taken again from the same start at the next fix.
                state.plan.origin = origin
                state.plan.pendingRoute = RoadPlan.PendingRoute(
                    length: route.length,
                    points: route.points,
                    along: along,
                    lastTime: lastTime,
                    offRouteSince: offRouteSince,
                    deviated: deviated
                )
                return
            }
            let sameRoute: Bool
            switch (route, state.path) {
            case (nil, nil): sameRoute = true
            case (let route?, let path?): sameRoute = route.length == path.length && route.points == path.along.count
            default: sameRoute = false
            }
            guard sameRoute else { return }
            state.along = along
            state.lastTime = lastTime
            state.offRouteSince = offRouteSince
            state.deviated = deviated
        }
    }
}
