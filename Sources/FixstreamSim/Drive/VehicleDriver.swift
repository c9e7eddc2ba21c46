import FixstreamEval
import FixstreamRoads

#if canImport(Glibc)
    import Glibc
#endif

/// Drives one vehicle's day leg by leg: loading at the depot, each customer it does not skip (sometimes by a
/// detour, with red lights, slow stretches and now and then an unscheduled halt on the way), home, a last stand
/// at the depot, tracker off. Produces the day as ``Piece``s, a leg at a time, and records when the vehicle
/// really arrived at and left each stop and where it halted.
final class VehicleDriver {
    /// What happened at one stop of the trip (index 0 is the depot, then the plan's customers).
    struct StopRecord {
        var arrived: Double?
        var departed: Double?
        var legStart: Double?
        var clear = true
    }

    /// An unscheduled halt.
    struct HaltRecord {
        var start: Double
        var end: Double
        var point: PlanePoint
        /// Since when the vehicle had been within ``VehicleDriver/idleRadius`` of the halt before coming to rest
        /// (slowing down, a queue), and when it was next farther.
        var near: Double
        var left: Double
    }

    /// The idle detector's default radius: a halt is measured as a stay within it.
    static let idleRadius = 30.0

    let plan: VehiclePlan
    private let map: SimMap
    private let router: SiteRouter
    private let catalog: SiteCatalog
    private let config: SimulationConfig
    private var random: SeededRandom
    private let habits: SpeedProfile.Driver
    private let end: Double

    /// Stop records: the depot first, then the customers in plan order.
    private(set) var stops: [StopRecord]
    private(set) var halts: [HaltRecord] = []
    /// The end of the last stand: the tracker goes off then (or at the simulation's end).
    private(set) var off: Double?

    private var clock: Double
    private var nextStop = 0
    private var spot: RoadSpot
    /// The stop record index the vehicle is at (0 the depot, i + 1 customer i).
    private var at = 0
    private var lastServedCustomer: Int?
    private var wentHome = false
    /// Whether the trip is over (its last planned stop served and left): until then deviations are watched.
    private var tripOver = false

    init(
        plan: VehiclePlan,
        map: SimMap,
        router: SiteRouter,
        catalog: SiteCatalog,
        config: SimulationConfig,
        random: SeededRandom
    ) {
        self.plan = plan
        self.map = map
        self.router = router
        self.catalog = catalog
        self.config = config
        self.random = random
        var speedFactor = 1 + config.speedSpread * self.random.gaussian()
        speedFactor = max(0.85, min(1.15, speedFactor))
        habits = SpeedProfile.Driver(
            speedFactor: speedFactor,
            acceleration: 1.2 + 0.6 * self.random.uniform(),
            braking: 1.5 + 1.0 * self.random.uniform()
        )
        end = Double(config.duration) / 1000
        stops = Array(repeating: StopRecord(), count: plan.stops.count + 1)
        clock = plan.on
        spot = plan.depotSpot
    }

    /// The site of stop record `index`.
    private func site(_ index: Int) -> Site {
        index == 0 ? catalog.depot : catalog.customers[plan.stops[index - 1].site]
    }

    /// Whether the simulation's end has come.
    private var finished: Bool { off != nil }

    /// The next pieces of the day, in time order; empty once the tracker is off.
    func nextPieces() -> [Piece] {
        guard !finished else { return [] }
        var pieces: [Piece] = []
        if clock == plan.on && at == 0 && stops[0].arrived == nil {
            stops[0].arrived = plan.on
            stops[0].legStart = plan.on
            let point = parking(at: plan.depotSpot)
            var loading = stand(.depot, point, duration: plan.loading)
            loading.onRoute = [(0, 0, 0)]
            pieces.append(loading)
            return clip(pieces)
        }
        while nextStop < plan.stops.count && plan.stops[nextStop].skipped { nextStop += 1 }
        if nextStop < plan.stops.count {
            pieces = leg(to: nextStop)
            nextStop += 1
            return clip(pieces)
        }
        if !wentHome {
            wentHome = true
            var home = plan.depotSpot
            home.offset = catalog.depot.spot.offset + (random.uniform() - 0.5) * 30
            guard let path = router.route(from: spot, to: home) else {
                off = min(clock, end)
                return []
            }
            pieces = drive(
                path,
                targetStop: nil,
                divergence: tripOver ? nil : "return",
                onRoute: [],
                progressLimit: .infinity
            )
            pieces.append(stand(.depot, parking(at: home, path: path), duration: 180 + 300 * random.uniform()))
            let clipped = clip(pieces)
            if off == nil { off = min(clock, end) }
            return clipped
        }
        off = min(clock, end)
        return []
    }

    /// Drops what starts after the simulation's end; the tracker goes off at the end.
    private func clip(_ pieces: [Piece]) -> [Piece] {
        var kept: [Piece] = []
        for var piece in pieces {
            guard piece.start < end else {
                off = end
                break
            }
            if piece.end > end {
                piece.end = end
                off = end
            }
            kept.append(piece)
        }
        return kept
    }

    private func stand(_ reason: Piece.Stand, _ point: PlanePoint, duration: Double) -> Piece {
        let piece = Piece(
            kind: .stand(reason, point),
            start: clock,
            end: clock + duration,
            activeUntil: tripOver ? -.infinity : .infinity,
            divergence: nil
        )
        clock += duration
        return piece
    }

    /// Where a vehicle stands at a road spot: 3 m to the right of the road's centre line.
    private func parking(at spot: RoadSpot, path: DrivePath? = nil) -> PlanePoint {
        let point = map.position(edge: spot.edge, offset: spot.offset)
        let direction =
            path.map { $0.direction(at: $0.length) } ?? map.direction(edge: spot.edge, offset: spot.offset)
        return PlanePoint(x: point.x + 3 * direction.y, y: point.y - 3 * direction.x)
    }

    /// The leg to customer `index`, its service included.
    private func leg(to index: Int) -> [Piece] {
        let target = catalog.customers[plan.stops[index].site]
        var divergence: String?
        var path: DrivePath?
        if index == 0 {
            path = router.route(from: spot, to: target.spot)
            divergence = "start"
        } else if lastServedCustomer == index - 1 {
            path = plan.legs[index]
        } else {
            path = router.route(from: spot, to: target.spot)
            divergence = "skip"
        }
        guard var path else {
            off = min(clock, end)
            return []
        }
        let legStart = plan.legs[..<index].reduce(0) { $0 + $1.length }
        var onRoute: [(from: Double, to: Double, along: Double)] = []
        if divergence == nil { onRoute = [(0, path.length, legStart)] }
        if index > 0 && divergence == nil && random.uniform() < config.detourChance,
            let detoured = detour(path, pending: index)
        {
            // The detour leaves the leg at `leave` and comes back to it at `back`.
            let resumed = detoured.path.length - (path.length - detoured.back)
            onRoute = [(0, detoured.leave, legStart), (resumed, detoured.path.length, legStart + detoured.back)]
            path = detoured.path
            divergence = "detour"
        }
        let record = index + 1
        let pieces = drive(
            path,
            targetStop: record,
            divergence: divergence,
            onRoute: onRoute,
            progressLimit: legStart + plan.legs[index].length
        )
        stops[record].legStart = stops[at].departed ?? clock
        at = record
        spot = target.spot
        lastServedCustomer = index
        var all = pieces
        var service = stand(.service(index), parking(at: target.spot, path: path), duration: plan.stops[index].service)
        service.onRoute = [(0, 0, legStart + plan.legs[index].length)]
        all.append(service)
        if index == plan.stops.count - 1 {
            // The trip's last stop: the trip is over once the vehicle leaves it. (When the last stop is skipped,
            // the trip never ends: a follower still expects it.)
            pendingLast = true
        }
        return all
    }

    private var pendingLast = false

    /// Drives `path` from the current stop record's site (departure recorded) to stop record `targetStop`
    /// (arrival recorded), or home when nil.
    private func drive(
        _ path: DrivePath,
        targetStop: Int?,
        divergence: String?,
        onRoute: [(from: Double, to: Double, along: Double)],
        progressLimit: Double
    ) -> [Piece] {
        let length = path.length
        let from = site(at)
        let leaveRadius = config.stopRadius + config.stopMargin
        let arriveRadius = config.stopRadius - min(config.stopMargin, config.stopRadius / 2)
        // Where the vehicle leaves the stop it is at, and reaches the next one.
        var departure = length
        var s = 0.0
        while s <= length {
            if path.position(at: s).distance(to: from.point) > leaveRadius {
                departure = s
                break
            }
            s += 1
        }
        var arrival = length
        var clear = true
        if let targetStop {
            let point = site(targetStop).point
            s = length
            while s >= 0 && path.position(at: s).distance(to: point) < arriveRadius { s -= 1 }
            arrival = min(length, s + 1)
            // Before the final approach (within the radius plus the margin), was the vehicle ever that close?
            while s >= 0 && path.position(at: s).distance(to: point) < arriveRadius + config.stopMargin { s -= 1 }
            var earlier = 0.0
            while earlier < s - 5 {
                if path.position(at: earlier).distance(to: point) < arriveRadius + config.stopMargin {
                    clear = false
                    break
                }
                earlier += 2
            }
        }

        // Stops on the way: halts and red lights, away from the ends.
        var holds: [(along: Double, duration: Double, stand: Piece.Stand)] = []
        for long in [true, false] where random.uniform() < (long ? config.longHaltChance : config.shortHaltChance) {
            if let along = haltPosition(path, after: departure + 50, before: arrival - 50, avoiding: holds.map(\.along))
            {
                let duration = long ? 240 + 660 * random.uniform() : 10 + 50 * random.uniform()
                holds.append((along, duration, .halt))
            }
        }
        for junction in path.junctions
        where junction.degree >= 3 && junction.along > 20 && junction.along < length - 20
            && random.uniform() < config.redLightChance
        {
            // Lights 60 m apart at least (twice the idle radius): a queue of lights at a complex junction would
            // keep the vehicle within the radius for minutes, a halt by the idle detector's definition that the
            // truth does not list.
            if holds.contains(where: { abs($0.along - junction.along) < 60 }) { continue }
            holds.append((junction.along, 5 + 35 * random.uniform(), .light))
        }
        holds.sort { $0.along < $1.along }
        var slowdowns: [SpeedProfile.Slowdown] = []
        if length > 300 && random.uniform() < config.slowdownChance {
            let start = random.uniform() * (length - 200)
            slowdowns.append(
                SpeedProfile.Slowdown(
                    from: start,
                    to: start + 200 + 400 * random.uniform(),
                    factor: 0.3 + 0.3 * random.uniform()
                )
            )
        }

        var pieces: [Piece] = []
        var segments: [(from: Double, to: Double, start: Double, profile: SpeedProfile)] = []
        var haltsOnThisPath: [(index: Int, along: Double)] = []
        var position = 0.0
        for hold in holds + [(along: length, duration: 0, stand: Piece.Stand.light)] {
            let profile = SpeedProfile(path: path, from: position, to: hold.along, driver: habits, slowdowns: slowdowns)
            let start = clock
            pieces.append(
                Piece(
                    kind: .drive(path, from: position, profile: profile),
                    start: start,
                    end: start + profile.duration,
                    activeUntil: tripOver ? -.infinity : .infinity,
                    divergence: divergence,
                    onRoute: onRoute,
                    progressLimit: progressLimit
                )
            )
            segments.append((position, hold.along, start, profile))
            clock += profile.duration
            position = hold.along
            guard hold.along < length else { break }
            var point = path.position(at: hold.along)
            if hold.stand == .halt {
                let direction = path.direction(at: hold.along)
                point = PlanePoint(x: point.x + 3 * direction.y, y: point.y - 3 * direction.x)
                halts.append(
                    HaltRecord(
                        start: clock,
                        end: clock + hold.duration,
                        point: point,
                        near: hold.along,
                        left: hold.along
                    )
                )
                haltsOnThisPath.append((halts.count - 1, hold.along))
            }
            var standing = stand(hold.stand, point, duration: hold.duration)
            standing.divergence = divergence
            standing.progressLimit = progressLimit
            // A stand on the route is on it at the distance along where it stopped.
            if let along = onRoute.first(where: { hold.along >= $0.from && hold.along <= $0.to }).map({
                $0.along + hold.along - $0.from
            }) {
                standing.onRoute = [(0, 0, along)]
            }
            pieces.append(standing)
        }
        func time(at along: Double) -> Double {
            for segment in segments where along <= segment.to {
                return segment.start + segment.profile.time(at: along - segment.from)
            }
            return clock
        }
        // Each halt as the idle detector sees it: the stay within its radius, from the approach to the departure.
        for (index, along) in haltsOnThisPath {
            let point = halts[index].point
            var before = along
            while before > 0 && path.position(at: before - 1).distance(to: point) <= Self.idleRadius { before -= 1 }
            var after = along
            while after < length && path.position(at: after + 1).distance(to: point) <= Self.idleRadius { after += 1 }
            halts[index].near = time(at: before)
            halts[index].left = time(at: min(length, after + 1))
        }
        // A drive that never leaves the stop's radius (home to the depot from the depot, when every customer was
        // skipped) is no departure: a follower cannot see one.
        if departure < length { stops[at].departed = time(at: departure) }
        if pendingLast {
            // Left the trip's last stop: from here on nothing is watched for deviation.
            tripOver = true
            pendingLast = false
            let over = time(at: departure)
            for index in pieces.indices {
                pieces[index].activeUntil = over
                if pieces[index].start >= over { pieces[index].divergence = nil }
            }
        }
        if let targetStop {
            stops[targetStop].arrived = time(at: arrival)
            stops[targetStop].clear = clear
        }
        return pieces
    }

    /// A place for a halt between `after` and `before` metres along `path`: away from every stop of the trip
    /// (so it is not taken for service), from junctions and from the other holds. Nil if none is found.
    private func haltPosition(_ path: DrivePath, after: Double, before: Double, avoiding: [Double]) -> Double? {
        guard before - after > 20 else { return nil }
        for _ in 0 ..< 10 {
            let along = after + random.uniform() * (before - after)
            let point = path.position(at: along)
            if path.junctions.contains(where: { abs($0.along - along) < 30 }) { continue }
            if avoiding.contains(where: { abs($0 - along) < 60 }) { continue }
            // Far enough from every stop of the trip that no follower takes the halt for service.
            let clearance = config.stopRadius + 40
            if point.distance(to: catalog.depot.point) < clearance { continue }
            if plan.stops.contains(where: { catalog.customers[$0.site].point.distance(to: point) < clearance }) {
                continue
            }
            return along
        }
        return nil
    }

    /// `path` with a detour: from a junction on it to a road 250 to 600 m away, at least 200 m from the path, and
    /// back onto the path further on. Nil when no such detour keeps clear of the stops still to serve.
    private func detour(_ path: DrivePath, pending index: Int) -> (path: DrivePath, leave: Double, back: Double)? {
        let length = path.length
        let starts = path.junctions.filter { $0.along > 100 && $0.along < length - 250 }
        guard !starts.isEmpty else { return nil }
        let leave = starts[Int(random.next() % UInt64(starts.count))]
        let rejoinAt = leave.along + 150 + random.uniform() * max(0, length - 80 - leave.along - 150)
        let rejoins = path.junctions.filter { $0.along >= leave.along + 150 && $0.along <= length - 80 }
        let back = rejoins.min { abs($0.along - rejoinAt) < abs($1.along - rejoinAt) }?.along ?? rejoinAt
        guard back > leave.along + 100, let from = path.spot(at: leave.along), let to = path.spot(at: back) else {
            return nil
        }
        let corner = path.position(at: leave.along)
        let guardDistance = config.stopRadius + 30
        let pending = plan.stops[index...].map { catalog.customers[$0.site].point }
        for _ in 0 ..< 30 {
            let node = Int(random.next() % UInt64(map.graph.nodeCount))
            guard map.connected[node],
                let edge = map.graph.outgoing(node).first(where: { map.connected[map.graph.head($0)] })
            else { continue }
            let point = map.position(edge: edge, offset: 0)
            let distance = point.distance(to: corner)
            guard distance >= 250, distance <= 600, path.nearest(to: point).distance >= 200 else { continue }
            let via = RoadSpot(edge: edge, offset: 0)
            guard let out = router.route(from: from, to: via), let home = router.route(from: via, to: to) else {
                continue
            }
            let clear = [out, home].allSatisfy { part in
                part.points.allSatisfy { point in pending.allSatisfy { $0.distance(to: point) >= guardDistance } }
            }
            guard clear else { continue }
            var result = path.slice(from: 0, to: leave.along)
            result.append(out, junctionDegree: leave.degree)
            result.append(home, junctionDegree: map.degree[node])
            result.append(path.slice(from: back, to: length), junctionDegree: nil)
            return (result, leave.along, back)
        }
        return nil
    }
}
