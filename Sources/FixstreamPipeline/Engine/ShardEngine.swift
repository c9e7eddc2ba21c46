import FixstreamGeo
public import FixstreamWire

/// The per-vehicle pipeline of one shard: filters, event-time ordering, stages and timers.
///
/// Owned by one thread (a shard worker in `serve`, the main thread in `process`); not thread-safe, on purpose.
/// Per fix: validity filters → duplicate/late check → hold buffer (only for vehicles that have shown disorder) →
/// jump filter → stages in order. The clock is passed in (`serve`: wall time) or follows event time (`process`,
/// and `serve --clock event`), so the same code is deterministic offline and timely live. Each vehicle's state (the engine's and every
/// stage's) can be checkpointed and restored into another engine (``checkpoint(dirtyOnly:)``,
/// ``restore(_:_:now:)``), so a restarted server carries on.
public final class ShardEngine {
    /// How the engine's clock advances.
    public enum Clock: Sendable {
        /// The caller passes the clock (wall time, in `serve`).
        case external
        /// The clock is the newest accepted event time (in `process`, and in `serve --clock event` for replaying
        /// recorded or simulated fleets faster than real time); the `now` given to ``offer(_:now:into:)`` is only
        /// the wall time that fixes from the future are judged against.
        case eventTime
    }

    /// The tunables this engine runs with.
    public let config: PipelineConfig
    /// Counters so far.
    public private(set) var stats = PipelineStats()
    /// How the clock advances.
    public let clockMode: Clock
    /// The shard clock: the newest time it was advanced to (wall or event time, see ``Clock``).
    var clock = Int64.min
    /// With the event-time clock, a fix that would move the clock beyond the future tolerance, waiting for the next
    /// fix: when that one is as far ahead (another vehicle's, or the same vehicle's with no other heard in between:
    /// a shard of one vehicle, a fleet-wide silence) the clock moves to the held fix and both are processed; when it
    /// is not, the held fix is processed without moving the clock. One vehicle's fix stamped far ahead (a device
    /// whose date rolled over) then moves nobody else's clock: on the shard's clock its neighbours would all be lost
    /// at once.
    private var heldStep: Fix?
    let stages: [any PipelineStage]
    let timerBases: [Int]
    /// Each stage's ``PipelineStage/checkpointName``, asked once.
    let stageNames: [String]
    private var slots: [VehicleID: Int] = [:]
    /// The slots of recently seen vehicles by ``VehicleID/unkeyedHash`` (-1: empty), so the usual fix skips the
    /// keyed hashing of `slots` (a fifth of a shard's time under perf). A hit is checked against the slot's id;
    /// a miss, whatever its cause (ids chosen to collide included), asks `slots`. Grows with the fleet, up to
    /// ``recentSlotsLimit``.
    private var recentSlots = [Int32](repeating: -1, count: 1024)
    /// 64 minus log2 of `recentSlots.count`: the hash's high bits index it.
    private var recentShift: UInt64 = 64 - 10
    var vehicles: [VehicleState] = []
    /// Reused for every vehicle's checkpoint.
    var checkpointScratch = CheckpointWriter(capacity: 1024)
    private let timers: TimerQueue

    /// Engine timer kind that releases a vehicle's hold buffer.
    private static let holdTimer = 0

    /// Creates an engine running `stages` in order.
    public init(config: PipelineConfig = PipelineConfig(), clock: Clock = .external, stages: [any PipelineStage]) {
        self.config = config
        self.clockMode = clock
        self.stages = stages
        var bases: [Int] = []
        var next = 1  // kind 0 is the engine's own hold timer
        for stage in stages {
            bases.append(next)
            next += stage.timerKinds
        }
        timerBases = bases
        stageNames = stages.map(\.checkpointName)
        timers = TimerQueue(kinds: next)
    }

    /// Vehicles this engine has seen.
    public var vehicleCount: Int { vehicles.count }

    /// The view of `vehicle` (its last fix and what every stage says), or nil when this engine never saw it.
    public func view(of vehicle: VehicleID) -> VehicleView? {
        slots[vehicle].map(view(slot:))
    }

    /// Views of up to `limit` vehicles with ids after `after` (all with nil), in id order: one page of a listing.
    /// - Complexity: O(n log limit) over this engine's vehicles.
    public func views(after: VehicleID?, limit: Int) -> [VehicleView] {
        guard limit > 0 else { return [] }
        var chosen: [(id: String, slot: Int)] = []
        let floor = after?.description
        for slot in vehicles.indices {
            let id = vehicles[slot].id.description
            if let floor, !(floor.utf8.lexicographicallyPrecedes(id.utf8)) { continue }
            if chosen.count == limit {
                guard id.utf8.lexicographicallyPrecedes(chosen[limit - 1].id.utf8) else { continue }
                chosen.removeLast()
            }
            var low = 0
            var high = chosen.count
            while low < high {
                let middle = (low + high) / 2
                if chosen[middle].id.utf8.lexicographicallyPrecedes(id.utf8) { low = middle + 1 } else { high = middle }
            }
            chosen.insert((id, slot), at: low)
        }
        return chosen.map { view(slot: $0.slot) }
    }

    /// The first stage of type `T`, for queries only that stage can answer (a trip's progress).
    public func stage<T: PipelineStage>(_ type: T.Type) -> T? {
        for stage in stages { if let match = stage as? T { return match } }
        return nil
    }

    /// The slot of `vehicle`, for stage queries.
    public func slot(of vehicle: VehicleID) -> Int? { slots[vehicle] }

    private func view(slot: Int) -> VehicleView {
        var view = VehicleView(vehicle: vehicles[slot].id)
        view.lastFix = vehicles[slot].last
        for stage in stages { stage.describe(slot: slot, into: &view) }
        return view
    }

    /// The shard clock as of the last call.
    public var now: Timestamp { Timestamp(millisecondsSinceEpoch: clock) }

    /// When the next timer falls due, so a worker knows how long it may sleep.
    public var nextDeadline: Timestamp? { timers.nextDeadline.map { Timestamp(millisecondsSinceEpoch: $0) } }

    /// Offers one decoded fix.
    /// - Parameters:
    ///   - fix: the fix; its vehicle picks the state it joins.
    ///   - now: the shard clock; with the event-time clock, only the wall time that fixes from the future are
    ///     judged against (the clock follows the fixes).
    ///   - output: receives alerts (and accepted fixes with `emitFixes`).
    public func offer(_ fix: Fix, now: Timestamp, into output: inout PipelineOutput) {
        stats.offered += 1
        let time = fix.time.millisecondsSinceEpoch
        let reference = now.millisecondsSinceEpoch
        if case .external = clockMode { advance(to: reference, into: &output) }
        guard Fix.isValidCoordinate(latitude: fix.latitude, longitude: fix.longitude) else {
            return stats.count(.invalid)
        }
        if config.rejectZeroCoordinates && fix.latitude == 0 && fix.longitude == 0 {
            return stats.count(.zeroCoordinates)
        }
        if let accuracy = fix.accuracy, let limit = config.maxAccuracy, accuracy > limit {
            return stats.count(.poorAccuracy)
        }
        if time > reference &+ config.futureTolerance {
            return stats.count(.futureTime)
        }
        if case .eventTime = clockMode {
            // A step of the clock beyond the future tolerance waits for a second fix to confirm it (see
            // `heldStep`); the fix that would make it waits with it.
            let step = clock != .min && time - clock > config.futureTolerance
            if let held = heldStep.take() {
                if step { moveEventClock(to: held.time.millisecondsSinceEpoch, into: &output) }
                place(held, into: &output)
            } else if step {
                heldStep = fix
                return
            }
            moveEventClock(to: time, into: &output)
        }
        place(fix, into: &output)
    }

    /// Moves the event-time clock to `time` if that is later: timers due strictly before it fire first (one due
    /// at its very time loses to the fix at that time).
    private func moveEventClock(to time: Int64, into output: inout PipelineOutput) {
        guard time > clock else { return }
        advance(to: time - 1, into: &output)
        clock = time
    }

    /// Duplicate and late checks, the hold buffer and the stages for a fix past the filters.
    private func place(_ fix: Fix, into output: inout PipelineOutput) {
        let time = fix.time.millisecondsSinceEpoch
        let slot = slot(for: fix.vehicle)
        if time <= vehicles[slot].released || vehicles[slot].isHeld(time) {
            if time == vehicles[slot].released || vehicles[slot].recentlyReleased(time) || vehicles[slot].isHeld(time)
                || vehicles[slot].seenSecond(time)
            {
                return stats.count(.duplicate)
            }
            noteDisorder(slot, lateness: vehicles[slot].newest - time)
            stats.count(.late)
            vehicles[slot].dirty = true
            var context = makeContext(slot, &output)
            for (index, stage) in stages.enumerated() {
                context.timerBase = timerBases[index]
                stage.late(fix, context: &context)
            }
            finishContext(context, &output)
            return
        }
        if time < vehicles[slot].newest {
            noteDisorder(slot, lateness: vehicles[slot].newest - time)
            stats.reordered += 1
        } else {
            vehicles[slot].newest = time
        }
        if vehicles[slot].holdDelay > 0, clock &- vehicles[slot].lastDisorder > config.holdDecay {
            vehicles[slot].holdDelay = 0
        }
        if vehicles[slot].holdDelay == 0 && vehicles[slot].held.isEmpty {
            release(fix, slot: slot, into: &output)
            return
        }
        hold(fix, slot: slot, into: &output)
    }

    /// Moves the clock to `now` (never backwards) and fires what fell due: timers and expired holds. With the
    /// event-time clock only the fixes move it: callers do not advance it to the wall time.
    public func advance(to now: Timestamp, into output: inout PipelineOutput) {
        advance(to: now.millisecondsSinceEpoch, into: &output)
    }

    /// Releases every held fix in order (end of input or shutdown). Pending timers stay pending: the end of a
    /// trace is not the passage of time.
    public func finish(into output: inout PipelineOutput) {
        if let held = heldStep.take() { place(held, into: &output) }
        for slot in vehicles.indices where !vehicles[slot].held.isEmpty {
            releaseHeld(slot, upTo: .max, into: &output)
        }
    }

    // MARK: - Internals

    private func advance(to now: Int64, into output: inout PipelineOutput) {
        if now > clock { clock = now }
        while let due = timers.popDue(now: clock) {
            if due.kind == Self.holdTimer {
                releaseExpired(due.slot, into: &output)
                continue
            }
            let stageIndex = stageIndex(forKind: due.kind)
            vehicles[due.slot].dirty = true
            var context = makeContext(due.slot, &output, at: due.deadline)
            context.timerBase = timerBases[stageIndex]
            stages[stageIndex].timerFired(due.kind - timerBases[stageIndex], context: &context)
            finishContext(context, &output)
        }
    }

    func slot(for vehicle: VehicleID) -> Int {
        let index = Int(truncatingIfNeeded: vehicle.unkeyedHash >> recentShift)
        let cached = Int(recentSlots[index])
        if cached >= 0 && cached < vehicles.count && vehicles[cached].id == vehicle { return cached }
        if let slot = slots[vehicle] {
            recentSlots[index] = Int32(truncatingIfNeeded: slot)
            return slot
        }
        let slot = vehicles.count
        slots[vehicle] = slot
        vehicles.append(VehicleState(id: vehicle))
        timers.reserve(slot: slot)
        stats.vehicles += 1
        if vehicles.count * 8 > recentSlots.count && recentSlots.count < Self.recentSlotsLimit {
            // Refilled by the misses to come.
            recentSlots = [Int32](repeating: -1, count: recentSlots.count * 4)
            recentShift -= 2
        } else {
            recentSlots[index] = Int32(truncatingIfNeeded: slot)
        }
        return slot
    }

    /// The most entries `recentSlots` grows to (4 MiB). It grows while it has eight entries per vehicle, so that
    /// few vehicles share one (about one fix in 16 misses); past 131,072 vehicles more of them do.
    private static let recentSlotsLimit = 1 << 20

    private func noteDisorder(_ slot: Int, lateness: Int64) {
        let delay = min(config.maxHold, max(vehicles[slot].holdDelay, lateness))
        vehicles[slot].holdDelay = max(delay, 0)
        vehicles[slot].lastDisorder = clock
    }

    private func hold(_ fix: Fix, slot: Int, into output: inout PipelineOutput) {
        let time = fix.time.millisecondsSinceEpoch
        let entry = VehicleState.Held(fix: fix, deadline: clock &+ vehicles[slot].holdDelay)
        var index = vehicles[slot].held.count
        while index > 0 && vehicles[slot].held[index - 1].fix.time.millisecondsSinceEpoch > time { index -= 1 }
        vehicles[slot].held.insert(entry, at: index)
        // Past the reorder window nothing can still slot in before these: release them now.
        releaseHeld(slot, upTo: vehicles[slot].newest &- config.reorderWindow, into: &output)
        if vehicles[slot].held.count > Self.maxHeld {
            let oldest = vehicles[slot].held[0].fix.time.millisecondsSinceEpoch
            releaseHeld(slot, upTo: oldest, into: &output)
        }
        releaseExpired(slot, into: &output)
    }

    /// Held fixes per vehicle at most; beyond, the oldest goes through at once.
    private static let maxHeld = 64

    /// Releases, in order, every held fix up to the newest one whose hold has expired; re-arms the hold timer.
    private func releaseExpired(_ slot: Int, into output: inout PipelineOutput) {
        var limit = Int64.min
        for entry in vehicles[slot].held where entry.deadline <= clock {
            limit = max(limit, entry.fix.time.millisecondsSinceEpoch)
        }
        releaseHeld(slot, upTo: limit, into: &output)
        var next = Int64.max
        for entry in vehicles[slot].held { next = min(next, entry.deadline) }
        if next == .max {
            timers.cancel(slot: slot, kind: Self.holdTimer)
        } else {
            timers.set(slot: slot, kind: Self.holdTimer, deadline: next)
        }
    }

    private func releaseHeld(_ slot: Int, upTo limit: Int64, into output: inout PipelineOutput) {
        var count = 0
        while count < vehicles[slot].held.count && vehicles[slot].held[count].fix.time.millisecondsSinceEpoch <= limit {
            count += 1
        }
        guard count > 0 else { return }
        let ready = vehicles[slot].held[0 ..< count]
        vehicles[slot].held.removeFirst(count)
        for entry in ready {
            release(entry.fix, slot: slot, into: &output)
        }
    }

    /// The jump filter, then the stages.
    private func release(_ fix: Fix, slot: Int, into output: inout PipelineOutput) {
        let time = fix.time.millisecondsSinceEpoch
        vehicles[slot].released = time
        vehicles[slot].remember(time)
        vehicles[slot].dirty = true
        if let anchor = vehicles[slot].last,
            isJump(anchor.latitude, anchor.longitude, anchor.time.millisecondsSinceEpoch, to: fix)
        {
            if let candidate = vehicles[slot].jumpCandidate,
                !isJump(candidate.latitude, candidate.longitude, candidate.time, to: fix)
            {
                vehicles[slot].jumpRejects += 1
            } else {
                vehicles[slot].jumpRejects = 1
            }
            vehicles[slot].jumpCandidate = .init(latitude: fix.latitude, longitude: fix.longitude, time: time)
            guard vehicles[slot].jumpRejects >= config.jumpReanchor else {
                return stats.count(.implausibleJump)
            }
            stats.reanchored += 1
        }
        vehicles[slot].jumpRejects = 0
        vehicles[slot].jumpCandidate = nil
        vehicles[slot].last = fix
        stats.processed += 1
        if config.emitFixes {
            output.fixes.append(fix)
            output.alertsBeforeFix.append(output.alerts.count)
        }
        guard !stages.isEmpty else { return }
        var context = makeContext(slot, &output)
        for index in stages.indices {
            context.timerBase = timerBases[index]
            stages[index].process(fix, context: &context)
        }
        finishContext(context, &output)
    }

    private func isJump(_ latitude: Double, _ longitude: Double, _ time: Int64, to fix: Fix) -> Bool {
        let distance = GreatCircle.shortDistance(
            latitude1: latitude,
            longitude1: longitude,
            latitude2: fix.latitude,
            longitude2: fix.longitude
        )
        guard distance > config.jumpSlack else { return false }
        let seconds = Double(abs(fix.time.millisecondsSinceEpoch - time)) / 1000
        return distance > config.jumpSlack + config.maxSpeed * seconds
    }

    private func stageIndex(forKind kind: Int) -> Int {
        var index = timerBases.count - 1
        while timerBases[index] > kind { index -= 1 }
        return index
    }

    func makeContext(_ slot: Int, _ output: inout PipelineOutput, at time: Int64? = nil) -> StageContext {
        var alerts: [Alert] = []
        swap(&alerts, &output.alerts)
        return StageContext(
            vehicle: vehicles[slot].id,
            slot: slot,
            now: Timestamp(millisecondsSinceEpoch: time ?? clock),
            lastFix: vehicles[slot].last,
            timers: timers,
            alerts: alerts
        )
    }

    private func finishContext(_ context: StageContext, _ output: inout PipelineOutput) {
        output.alerts = context.alerts
        stats.map.merge(context.mapStats)
        for alert in output.alerts[context.initialAlerts...] { stats.count(alert.type) }
    }
}
