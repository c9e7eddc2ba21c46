public import FixstreamGeo
public import FixstreamPipeline
public import FixstreamWire

/// Raises `geofence.enter`, `geofence.exit` and `geofence.dwell` for every fence a vehicle visits.
///
/// Robust to GPS noise in three ways:
/// - **Hysteresis**: a vehicle enters once inside by more than the fence's margin (default 10 m) and exits once
///   outside by more than it.
/// - **Confirmation**: a change needs two consecutive fixes beyond the margin, or one beyond it by 25 m more that is
///   where the vehicle can have got to (no farther from the last fix than 25 m plus one and a half times the
///   faster speed the two report over the time between them, plus what speeding up and slowing down in between
///   adds: a multipath jump waits for a second fix). The change is dated
///   at the first of them. At sparse sampling (10 s or more between fixes) a single fix inside between two
///   outside ones is a real, brief visit and raises both alerts.
/// - **Standing still**: decisions use the mean of the vehicle's recent fixes within 25 m of each other
///   (``StationaryTracker``), which converges on the true position while it stands, and an exit is not confirmed
///   while the vehicle may be coming to a stop (its cluster is younger than 20 s): a vehicle parked on a boundary
///   under noise enters at most once and never flaps. A moving vehicle's clusters hold a few fixes, so the lag
///   is small.
///
/// A vehicle that passes through a fence between two fixes that are both short of entering it (fast or sparse)
/// raises an enter and an exit marked `crossed` when the line between them reaches inside by more than the margin,
/// the fixes are at most ``crossingGap`` apart (after a longer silence the straight line says nothing about
/// where the vehicle went) and the second is where the vehicle can have got to. Dwell fires once, `dwell` seconds after the enter: on a fix, or by timer while
/// the vehicle is quiet inside. Overlapping fences are independent. Per fix: one index query plus the fences the
/// vehicle is in or near.
public final class GeofenceStage: PipelineStage {
    /// A fence the vehicle is in, or may be entering.
    struct Membership {
        var fence: Int32
        var inside: Bool
        /// Whether the dwell alert was raised (then a replaced fence's dwell time does not raise it again). Next
        /// to `inside`, in what would be padding.
        var dwellFired = false
        /// Event time of the enter (when inside).
        var entered: Int64 = 0
        /// Event time the dwell alert is due, or `Int64.max` when there is none (or it fired).
        var dwellDue = Int64.max
        /// The first fix of a change not yet confirmed (an enter while outside, an exit while inside).
        var pendingTime: Int64?
        var pendingLatitude = 0.0
        var pendingLongitude = 0.0
    }

    struct VehicleFences {
        var memberships: [Membership] = []
        var tracker = StationaryTracker()
        var lastLatitude = 0.0
        var lastLongitude = 0.0
        var lastTime: Int64 = 0
        /// The speed the last fix reported, if any. Not checkpointed: after a restart the next fix's alone counts.
        var lastSpeed: Float?
        var seen = false
        /// Shard clock minus event time at the last fix: maps event-time dwell deadlines onto the shard clock.
        var clockOffset: Int64 = 0
    }

    /// Depth beyond the margin that needs no second fix, metres.
    private static let decisive = 25.0
    /// Gap between fixes from which a single fix inside counts as a visit.
    private static let sparseGap: Int64 = 10_000
    /// Longest gap between fixes across which a crossing is looked for: 90 s (well clear of the minute many trackers
    /// report at, a little late: the straight line says as much after 61 s as after 59 s).
    public static let crossingGap: Int64 = 90_000

    let control: LiveControl
    var version: Int
    var index: FenceIndex
    private var smallestMargin: Double
    var vehicles: [VehicleFences?] = []
    /// While checkpoints are being restored: the position of each fence of `fences` by its id's bytes. Dropped at
    /// the first fix.
    var restoreLookup: (fences: FenceIndex, positions: [[UInt8]: Int32])?
    private var candidates: [Int32] = []
    /// The fences the vehicle was in or entering before the current fix (no crossing is looked for on those).
    private var wereMembers: [Int32] = []

    /// A geofence detector over `index`'s fences.
    public convenience init(index: FenceIndex) {
        self.init(control: LiveControl(fences: index))
    }

    /// A geofence detector over the fences of `control`, following its replacements.
    public init(control: LiveControl) {
        let snapshot = control.snapshot
        self.control = control
        version = snapshot.version
        index = snapshot.fences
        smallestMargin = Self.smallestMargin(of: snapshot.fences)
        candidates.reserveCapacity(64)
    }

    /// One timer: the earliest dwell due among the fences the vehicle is in.
    public var timerKinds: Int { 1 }

    /// Exits, dwells, enters and crossings for one fix.
    public func process(_ fix: Fix, context: inout StageContext) {
        if control.version != version { adopt(control.snapshot) }
        if restoreLookup != nil { restoreLookup = nil }
        if vehicles.count <= context.slot {
            vehicles.append(contentsOf: repeatElement(nil, count: context.slot + 1 - vehicles.count))
        }
        if vehicles[context.slot] == nil { vehicles[context.slot] = VehicleFences() }
        // Updated in place in the array: neither the state nor its lists are copied.
        update(&vehicles[context.slot]!, with: fix, context: &context)
    }

    private func update(_ state: inout VehicleFences, with fix: Fix, context: inout StageContext) {
        let time = fix.time.millisecondsSinceEpoch
        state.tracker.add(latitude: fix.latitude, longitude: fix.longitude, time: time, speed: fix.speed)
        let stationary = state.tracker.isStationary
        let (latitude, longitude) = state.tracker.position(latitude: fix.latitude, longitude: fix.longitude)
        let plausible = isPlausible(fix, after: state)

        // Fences the vehicle is in or entering.
        wereMembers.removeAll(keepingCapacity: true)
        for member in state.memberships { wereMembers.append(member.fence) }
        var position = 0
        while position < state.memberships.count {
            var member = state.memberships[position]
            let margin = index.fences[Int(member.fence)].hysteresis
            let depth = -index.signedDistance(toFence: member.fence, latitude: latitude, longitude: longitude)
            let fence = index.fences[Int(member.fence)]
            if member.inside {
                if depth < -margin {
                    // While the vehicle may be stopping, an exit waits: the mean it rests on is still noisy.
                    let confirmed =
                        !state.tracker.isSettling
                        && ((depth < -(margin + Self.decisive) && plausible) || member.pendingTime != nil)
                    if confirmed {
                        let left = member.pendingTime ?? time
                        emit(
                            .geofenceExit,
                            fence,
                            time: left,
                            latitude: member.pendingTime == nil ? fix.latitude : member.pendingLatitude,
                            longitude: member.pendingTime == nil ? fix.longitude : member.pendingLongitude,
                            context: &context,
                            extra: [AlertField("duration", .number(Double(left - member.entered) / 1000))]
                        )
                        state.memberships.remove(at: position)
                        continue
                    }
                    if member.pendingTime == nil {
                        member.pendingTime = time
                        member.pendingLatitude = fix.latitude
                        member.pendingLongitude = fix.longitude
                    }
                } else {
                    member.pendingTime = nil
                    if member.dwellDue <= time {
                        emitDwell(fence, member, latitude: fix.latitude, longitude: fix.longitude, context: &context)
                        member.dwellDue = .max
                        member.dwellFired = true
                    }
                }
            } else if let pending = member.pendingTime {
                if depth > margin {
                    enter(
                        &member,
                        fence,
                        at: pending,
                        latitude: member.pendingLatitude,
                        longitude: member.pendingLongitude,
                        context: &context
                    )
                    if member.dwellDue <= time {
                        emitDwell(fence, member, latitude: fix.latitude, longitude: fix.longitude, context: &context)
                        member.dwellDue = .max
                        member.dwellFired = true
                    }
                } else if depth < -margin {
                    if time - pending >= Self.sparseGap {
                        // Seen inside once between sparse fixes: a brief visit, not noise.
                        enter(
                            &member,
                            fence,
                            at: pending,
                            latitude: member.pendingLatitude,
                            longitude: member.pendingLongitude,
                            context: &context
                        )
                        emit(
                            .geofenceExit,
                            fence,
                            time: time,
                            latitude: fix.latitude,
                            longitude: fix.longitude,
                            context: &context,
                            extra: [AlertField("duration", .number(Double(time - pending) / 1000))]
                        )
                    }
                    state.memberships.remove(at: position)
                    continue
                }
            }
            state.memberships[position] = member
            position += 1
        }

        // Fences the vehicle may be entering.
        index.candidates(latitude: latitude, longitude: longitude, margin: 0, into: &candidates)
        for candidate in candidates where !state.memberships.contains(where: { $0.fence == candidate }) {
            // No copy of the fence (no reference counting) for the common case: not inside.
            let depth = -index.signedDistance(toFence: candidate, latitude: latitude, longitude: longitude)
            guard depth > index.fences[Int(candidate)].hysteresis else { continue }
            let fence = index.fences[Int(candidate)]
            var member = Membership(fence: candidate, inside: false)
            if depth > fence.hysteresis + Self.decisive && plausible {
                enter(&member, fence, at: time, latitude: fix.latitude, longitude: fix.longitude, context: &context)
            } else {
                member.pendingTime = time
                member.pendingLatitude = fix.latitude
                member.pendingLongitude = fix.longitude
            }
            state.memberships.append(member)
        }

        // Fences passed through between the previous fix and this one.
        if state.seen && !stationary && plausible && time - state.lastTime <= Self.crossingGap {
            crossings(&state, fix: fix, context: &context)
        }

        state.seen = true
        state.lastLatitude = fix.latitude
        state.lastLongitude = fix.longitude
        state.lastTime = time
        state.lastSpeed = fix.speed
        state.clockOffset = context.now.millisecondsSinceEpoch - time
        arm(state, context: &context)
    }

    /// Whether `fix` is where the vehicle can have got to since its last fix, judged by the speeds it reports (a fix
    /// without one, or the first, is taken as it is). A reported speed is the speed at that moment: between two fixes
    /// the vehicle may have sped up and slowed down again (a halt at one light, then at the next), so the bound allows
    /// for ``plausibleAcceleration`` on top of the faster of the two speeds.
    private func isPlausible(_ fix: Fix, after state: VehicleFences) -> Bool {
        guard state.seen, let speed = fix.speed else { return true }
        let jump = GreatCircle.shortDistance(
            latitude1: state.lastLatitude,
            longitude1: state.lastLongitude,
            latitude2: fix.latitude,
            longitude2: fix.longitude
        )
        let seconds = Double(max(0, fix.time.millisecondsSinceEpoch - state.lastTime)) / 1000
        let fastest = Double(max(speed, state.lastSpeed ?? 0))
        // Speeding up at `a` half the time and slowing down the other half covers a * t * t / 4 more.
        return jump <= Self.decisive + 1.5 * fastest * seconds + Self.plausibleAcceleration * seconds * seconds / 4
    }

    /// The acceleration (and braking) allowed for between two fixes by ``isPlausible(_:after:)``, m/s².
    private static let plausibleAcceleration = 3.0

    /// Dwells that fell due while the vehicle was quiet inside.
    public func timerFired(_ kind: Int, context: inout StageContext) {
        if control.version != version { adopt(control.snapshot) }
        guard var state = vehicles[context.slot].take() else { return }
        defer { vehicles[context.slot] = state }
        guard let last = context.lastFix else { return }
        let eventNow = context.now.millisecondsSinceEpoch - state.clockOffset
        for position in state.memberships.indices
        where state.memberships[position].inside && state.memberships[position].dwellDue <= eventNow {
            let member = state.memberships[position]
            emitDwell(
                index.fences[Int(member.fence)],
                member,
                latitude: last.latitude,
                longitude: last.longitude,
                context: &context
            )
            state.memberships[position].dwellDue = .max
            state.memberships[position].dwellFired = true
        }
        arm(state, context: &context)
    }

    /// Moves to new fences: memberships follow their fence by id (a changed shape judges the next fix, a dwell
    /// not yet announced follows the new dwell time); those of deleted fences end without an alert, as the fence
    /// no longer exists.
    func adopt(_ snapshot: LiveControl.Snapshot) {
        version = snapshot.version
        guard snapshot.fences !== index else { return }
        let old = index.fences
        // Keyed by the ids' bytes: the store tells ids apart byte for byte, so must this map.
        var positions: [[UInt8]: Int32] = [:]
        positions.reserveCapacity(snapshot.fences.fences.count)
        for (position, fence) in snapshot.fences.fences.enumerated() {
            positions[Array(fence.id.utf8)] = Int32(position)
        }
        for slot in vehicles.indices where vehicles[slot] != nil && !vehicles[slot]!.memberships.isEmpty {
            vehicles[slot]!.memberships = vehicles[slot]!.memberships.compactMap { member in
                guard let position = positions[Array(old[Int(member.fence)].id.utf8)] else { return nil }
                var moved = member
                moved.fence = position
                if moved.inside && !moved.dwellFired {
                    // A dwell not yet announced follows the fence's new dwell time.
                    moved.dwellDue = snapshot.fences.fences[Int(position)].dwell.map { member.entered + $0 } ?? .max
                }
                return moved
            }
        }
        index = snapshot.fences
        smallestMargin = Self.smallestMargin(of: index)
    }

    private static func smallestMargin(of index: FenceIndex) -> Double {
        index.fences.map(\.hysteresis).min() ?? 0
    }

    private func crossings(_ state: inout VehicleFences, fix: Fix, context: inout StageContext) {
        let length = GreatCircle.shortDistance(
            latitude1: state.lastLatitude,
            longitude1: state.lastLongitude,
            latitude2: fix.latitude,
            longitude2: fix.longitude
        )
        guard length > 2 * smallestMargin else { return }
        index.candidates(
            fromLatitude: state.lastLatitude,
            fromLongitude: state.lastLongitude,
            toLatitude: fix.latitude,
            toLongitude: fix.longitude,
            margin: 0,
            into: &candidates
        )
        for candidate in candidates
        where !wereMembers.contains(candidate) && !state.memberships.contains(where: { $0.fence == candidate }) {
            let fence = index.fences[Int(candidate)]
            guard length > 2 * fence.hysteresis,
                fence.signedDistance(latitude: state.lastLatitude, longitude: state.lastLongitude) > -fence.hysteresis,
                fence.signedDistance(latitude: fix.latitude, longitude: fix.longitude) > -fence.hysteresis,
                fence.segmentReachesInside(
                    fromLatitude: state.lastLatitude,
                    fromLongitude: state.lastLongitude,
                    toLatitude: fix.latitude,
                    toLongitude: fix.longitude,
                    depth: fence.hysteresis
                )
            else { continue }
            let crossed = AlertField("crossed", .bool(true))
            emit(
                .geofenceEnter,
                fence,
                time: fix.time.millisecondsSinceEpoch,
                latitude: fix.latitude,
                longitude: fix.longitude,
                context: &context,
                extra: [crossed]
            )
            emit(
                .geofenceExit,
                fence,
                time: fix.time.millisecondsSinceEpoch,
                latitude: fix.latitude,
                longitude: fix.longitude,
                context: &context,
                extra: [AlertField("duration", .number(0)), crossed]
            )
        }
    }

    private func enter(
        _ member: inout Membership,
        _ fence: Fence,
        at time: Int64,
        latitude: Double,
        longitude: Double,
        context: inout StageContext
    ) {
        member.inside = true
        member.entered = time
        member.pendingTime = nil
        member.dwellDue = fence.dwell.map { time + $0 } ?? .max
        emit(.geofenceEnter, fence, time: time, latitude: latitude, longitude: longitude, context: &context, extra: [])
    }

    func arm(_ state: VehicleFences, context: inout StageContext) {
        var due = Int64.max
        for member in state.memberships where member.inside { due = min(due, member.dwellDue) }
        if due == .max {
            context.cancelTimer(0)
        } else {
            context.setTimer(0, at: Timestamp(millisecondsSinceEpoch: due + state.clockOffset))
        }
    }

    private func emitDwell(
        _ fence: Fence,
        _ member: Membership,
        latitude: Double,
        longitude: Double,
        context: inout StageContext
    ) {
        let dwell = fence.dwell ?? 0
        emit(
            .geofenceDwell,
            fence,
            time: member.entered + dwell,
            latitude: latitude,
            longitude: longitude,
            context: &context,
            extra: [AlertField("dwell", .number(Double(dwell) / 1000))]
        )
    }

    private func emit(
        _ type: AlertType,
        _ fence: Fence,
        time: Int64,
        latitude: Double,
        longitude: Double,
        context: inout StageContext,
        extra: [AlertField]
    ) {
        var fields = [AlertField("fence", .string(fence.id))]
        if let name = fence.name { fields.append(AlertField("name", .string(name))) }
        context.emit(
            Alert(
                type: type,
                vehicle: context.vehicle,
                time: Timestamp(millisecondsSinceEpoch: time),
                latitude: latitude,
                longitude: longitude,
                fields: fields + extra
            )
        )
    }
}
