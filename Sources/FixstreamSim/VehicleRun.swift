import FixstreamEval
import FixstreamGeo

/// One vehicle from tracker on to tracker off: drives its plan, follows its true position through the fences and
/// along its route, records fixes and hands them out in delivery order; afterwards, what really happened.
final class VehicleRun {
    let plan: VehiclePlan
    private let driver: VehicleDriver
    private var receiver: Receiver
    private let fences: FenceSet
    private let plane: CityPlane
    private let startMilliseconds: Int64
    private let periodMilliseconds: Int64
    private let onMilliseconds: Int64

    private var visits = FenceVisits()
    private var offsets: RouteOffsets
    private var watchingRoute = true
    private var pieces: [Piece] = []
    private var pieceIndex = 0
    private var fixIndex: Int64 = 0
    private var generating = true
    private var pending = DeliveryQueue()
    private var sequence: Int32 = 0
    private var recorded: [(point: PlanePoint, speed: Float, course: Float?, accuracy: Float, delivery: Double)] = []

    private var lastHeard: Int64?
    private var lastHeardFix: Int64 = 0
    private var newestHeard = Int64.min
    private(set) var outages: [TruthEvent.Outage] = []
    /// Fixes handed out so far.
    private(set) var delivered = 0

    init(
        plan: VehiclePlan,
        driver: VehicleDriver,
        receiver: Receiver,
        fences: FenceSet,
        route: [PlanePoint],
        plane: CityPlane,
        config: SimulationConfig
    ) {
        self.plan = plan
        self.driver = driver
        self.receiver = receiver
        self.fences = fences
        self.plane = plane
        startMilliseconds = config.start
        periodMilliseconds = max(1, Int64((1000 / config.rate).rounded()))
        onMilliseconds = config.start + Int64((plan.on * 1000).rounded())
        offsets = RouteOffsets(route: route, threshold: config.deviationDistance)
    }

    /// Seconds since the simulation's start of a time in milliseconds since the epoch.
    private func seconds(_ milliseconds: Int64) -> Double { Double(milliseconds - startMilliseconds) / 1000 }

    /// Milliseconds since the epoch of a time in seconds since the simulation's start.
    func milliseconds(_ seconds: Double) -> Int64 { startMilliseconds + Int64((seconds * 1000).rounded()) }

    /// The next fix in delivery order, or nil when the tracker is off and everything was delivered.
    func next() -> SimulatedFix? {
        while generating {
            let time = onMilliseconds + fixIndex * periodMilliseconds
            if let first = pending.first, first.delivery <= time { return hear(pending.removeFirst()) }
            generate(at: time)
        }
        if let fix = pending.first {
            _ = pending.removeFirst()
            return hear(fix)
        }
        return nil
    }

    private func hear(_ fix: SimulatedFix) -> SimulatedFix {
        delivered += 1
        if fix.time > newestHeard {
            if let last = lastHeard, fix.delivery - last >= 20_000 {
                outages.append(
                    TruthEvent.Outage(
                        vehicle: plan.vehicle,
                        last: last,
                        lastFix: lastHeardFix,
                        resumed: fix.delivery,
                        firstFix: fix.time,
                        // Fixes kept through a network outage come in a burst, older than their delivery.
                        cause: fix.time < fix.delivery - 1_000 ? "network" : "gps"
                    )
                )
            }
            lastHeard = fix.delivery
            lastHeardFix = fix.time
            newestHeard = fix.time
        }
        return fix
    }

    private func generate(at milliseconds: Int64) {
        let time = seconds(milliseconds)
        while true {
            if let off = driver.off, time > off {
                finish()
                return
            }
            while pieceIndex < pieces.count && pieces[pieceIndex].end < time { pieceIndex += 1 }
            if pieceIndex < pieces.count { break }
            if pieceIndex > 0 {
                pieces.removeAll(keepingCapacity: true)
                pieceIndex = 0
            }
            let new = driver.nextPieces()
            if new.isEmpty && driver.off == nil { continue }
            for piece in new { track(piece) }
            pieces.append(contentsOf: new)
            if new.isEmpty {
                finish()
                return
            }
        }
        fixIndex += 1
        let state = pieces[pieceIndex].state(at: time)
        receiver.record(
            at: time,
            point: state.point,
            speed: state.speed,
            direction: state.direction,
            plane: plane,
            into: &recorded
        )
        for fix in recorded {
            let position = plane.coordinate(fix.point)
            sequence += 1
            pending.insert(
                SimulatedFix(
                    vehicle: Int32(plan.index),
                    sequence: sequence,
                    time: milliseconds,
                    delivery: max(milliseconds, self.milliseconds(fix.delivery)),
                    latitude: position.latitude,
                    longitude: position.longitude,
                    speed: fix.speed,
                    course: fix.course,
                    accuracy: fix.accuracy
                )
            )
        }
    }

    /// Follows a new piece of the day through the fences and along the route.
    private func track(_ piece: Piece) {
        switch piece.kind {
        case .stand(_, let point):
            visits.observe(point, at: piece.start, fences: fences)
            watch(point, at: piece.start, piece: piece, routeAlong: piece.onRoute.first?.along)
        case .drive(let path, let from, let profile):
            for index in profile.times.indices {
                let time = piece.start + profile.times[index]
                if time > piece.end { break }
                let along = from + Double(index) * profile.step
                let point = path.position(at: along)
                visits.observe(point, at: time, fences: fences)
                if index % 4 == 0 || index == profile.times.count - 1 {
                    watch(point, at: time, piece: piece, routeAlong: piece.routeAlong(atPath: along))
                }
            }
        }
    }

    private func watch(_ point: PlanePoint, at time: Double, piece: Piece, routeAlong: Double?) {
        guard watchingRoute else { return }
        guard time < piece.activeUntil else {
            offsets.finish()
            watchingRoute = false
            return
        }
        offsets.observe(point, at: time, routeAlong: routeAlong, limit: piece.progressLimit, cause: piece.divergence)
    }

    private func finish() {
        generating = false
        visits.finish(fences: fences)
        offsets.finish()
        watchingRoute = false
    }

    /// What really happened to this vehicle (after the last fix was handed out).
    func truth(catalog: SiteCatalog, config: SimulationConfig) -> [TruthEvent] {
        let off = driver.off ?? plan.on
        var events: [TruthEvent] = []
        events.append(
            .power(
                TruthEvent.Power(vehicle: plan.vehicle, trip: plan.trip, on: onMilliseconds, off: milliseconds(off))
            )
        )
        for (index, record) in driver.stops.enumerated() {
            let id = index == 0 ? catalog.depot.id : catalog.customers[plan.stops[index - 1].site].id
            if index > 0 && plan.stops[index - 1].skipped {
                events.append(.skip(TruthEvent.Skip(vehicle: plan.vehicle, trip: plan.trip, stop: id)))
                continue
            }
            guard let arrived = record.arrived, arrived <= off else { continue }
            events.append(
                .stop(
                    TruthEvent.Stop(
                        vehicle: plan.vehicle,
                        trip: plan.trip,
                        stop: id,
                        arrived: index == 0 ? onMilliseconds : milliseconds(arrived),
                        departed: record.departed.flatMap { $0 <= off ? milliseconds($0) : nil },
                        legStart: milliseconds(record.legStart ?? arrived),
                        initial: index == 0,
                        clear: record.clear,
                        windowEnd: index == 0 ? nil : milliseconds(plan.stops[index - 1].windowEnd)
                    )
                )
            )
        }
        for halt in driver.halts where halt.start <= off {
            let position = plane.coordinate(halt.point)
            events.append(
                .halt(
                    TruthEvent.Halt(
                        vehicle: plan.vehicle,
                        start: milliseconds(halt.start),
                        end: halt.end <= off ? milliseconds(halt.end) : nil,
                        near: milliseconds(halt.near),
                        left: halt.left <= off ? milliseconds(halt.left) : nil,
                        latitude: position.latitude,
                        longitude: position.longitude
                    )
                )
            )
        }
        for detour in offsets.detours {
            events.append(
                .detour(
                    TruthEvent.Detour(
                        vehicle: plan.vehicle,
                        trip: plan.trip,
                        start: milliseconds(detour.start),
                        end: detour.end.map(milliseconds),
                        threshold: offsets.threshold,
                        maxOffset: detour.maxOffset,
                        lastClearlyOff: detour.lastClearlyOff.map(milliseconds),
                        cause: detour.cause
                    )
                )
            )
        }
        for visit in visits.visits {
            let circle = fences.circles[visit.fence]
            events.append(
                .visit(
                    TruthEvent.Visit(
                        vehicle: plan.vehicle,
                        fence: circle.id,
                        enter: visit.enter.map(milliseconds),
                        exit: visit.exit.map(milliseconds),
                        maxDepth: visit.maxDepth,
                        deepest: milliseconds(visit.deepest),
                        hysteresis: circle.hysteresis,
                        dwell: circle.dwell
                    )
                )
            )
        }
        for outage in outages { events.append(.outage(outage)) }
        if let last = lastHeard {
            events.append(
                .outage(
                    TruthEvent.Outage(
                        vehicle: plan.vehicle,
                        last: last,
                        lastFix: lastHeardFix,
                        resumed: nil,
                        firstFix: nil,
                        cause: "power"
                    )
                )
            )
        }
        return events
    }
}

/// A binary heap of fixes by delivery time, then vehicle, then sequence: one vehicle's fixes awaiting delivery,
/// or the whole fleet's next fixes being merged.
struct DeliveryQueue {
    private var heap: [SimulatedFix] = []

    var first: SimulatedFix? { heap.first }

    var isEmpty: Bool { heap.isEmpty }

    private static func before(_ a: SimulatedFix, _ b: SimulatedFix) -> Bool {
        (a.delivery, a.vehicle, a.sequence) < (b.delivery, b.vehicle, b.sequence)
    }

    mutating func insert(_ fix: SimulatedFix) {
        heap.append(fix)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeFirst() -> SimulatedFix {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { break }
                var child = left
                if left + 1 < heap.count && Self.before(heap[left + 1], heap[left]) { child = left + 1 }
                guard Self.before(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                parent = child
            }
        }
        return top
    }
}
