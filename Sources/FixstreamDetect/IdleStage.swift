public import FixstreamPipeline
public import FixstreamWire

#if canImport(Glibc)
    import Glibc
#endif

/// Raises `idle.start` when a vehicle stays within a radius for long enough outside its planned stops, and
/// `idle.end` when it leaves.
///
/// A halt is a cluster of fixes whose running mean (on a local plane, in metres) is the halt's centre, so GPS
/// drift around a parked vehicle averages out. While a cluster is only a candidate, a fix belongs to it when it is
/// within the radius of the centre; once it is a halt, within the radius plus a noise margin (1.5 times the
/// cluster's RMS scatter, or twice the fix's reported accuracy, at most 25 m), so a receiver with 15 m noise does
/// not look like it is leaving. Fixes outside do not join; only ``DetectorConfig/idleExitFixes`` consecutive
/// outside fixes spanning at least ``DetectorConfig/idleExitSpan`` end the cluster (a burst of multipath does
/// not). The next cluster is then rebuilt from the vehicle's recent fixes: the newest run of them that lies
/// within the radius of its own centre and of the newest fix, so a halt's start is found even though it was noticed
/// late.
///
/// Times: `idle.start` carries the time the halt began (its cluster's first fix) and `detected_at`; `idle.end` is
/// dated at the first fix after the last one within the radius (when the vehicle really pulled away), with the
/// halt's `started` time and `duration`. A timer catches vehicles that stop reporting while parked (seen standing
/// for at least 15 s first: a vehicle that goes quiet while driving is lost, not idle). A vehicle
/// crawling slower than about 2 × radius / duration (0.5 m/s with the defaults) counts as halted.
public final class IdleStage: PipelineStage {
    struct Point {
        var time: Int64
        var x: Float
        var y: Float
    }

    struct State {
        /// Local plane origin and metres per degree of longitude there.
        var originLatitude: Double
        var originLongitude: Double
        var metresPerDegreeLongitude: Double
        /// The latest fixes on the plane, oldest first (a ring of ``IdleStage/recentCapacity``).
        var recent: [Point] = []
        var recentNext = 0
        /// The cluster: sums of positions and squares, count, first fix time.
        var sumX = 0.0
        var sumY = 0.0
        var sumSquares = 0.0
        var count = 0
        var start: Int64 = 0
        /// Event time of the cluster's latest fix.
        var latest: Int64 = 0
        var idle = false
        /// Consecutive outside fixes and the time of the first; the first fix beyond the plain radius since the
        /// last one within it.
        var outside = 0
        var firstOutside: Int64 = 0
        var departure: Int64?

        static let metresPerDegree = 111_195.0

        init(at fix: Fix) {
            self.init(originLatitude: fix.latitude, originLongitude: fix.longitude)
        }

        /// A state with no fix yet, on a plane centred at the origin given.
        init(originLatitude: Double, originLongitude: Double) {
            self.originLatitude = originLatitude
            self.originLongitude = originLongitude
            metresPerDegreeLongitude = max(1, Self.metresPerDegree * cos(originLatitude * .pi / 180))
        }

        var centreX: Double { sumX / Double(count) }
        var centreY: Double { sumY / Double(count) }
        var centreLatitude: Double { originLatitude + centreY / Self.metresPerDegree }
        var centreLongitude: Double { originLongitude + centreX / metresPerDegreeLongitude }

        /// RMS distance of the cluster's fixes from its centre, metres.
        var scatter: Double {
            max(0, sumSquares / Double(count) - (centreX * centreX + centreY * centreY)).squareRoot()
        }

        func point(_ fix: Fix) -> Point {
            Point(
                time: fix.time.millisecondsSinceEpoch,
                x: Float((fix.longitude - originLongitude) * metresPerDegreeLongitude),
                y: Float((fix.latitude - originLatitude) * Self.metresPerDegree)
            )
        }

        func distanceFromCentre(_ point: Point) -> Double {
            let dx = Double(point.x) - centreX
            let dy = Double(point.y) - centreY
            return (dx * dx + dy * dy).squareRoot()
        }

        mutating func join(_ point: Point) {
            let x = Double(point.x)
            let y = Double(point.y)
            sumX += x
            sumY += y
            sumSquares += x * x + y * y
            count += 1
            latest = max(latest, point.time)
        }

        mutating func remember(_ point: Point) {
            if recent.count < IdleStage.recentCapacity {
                recent.append(point)
            } else {
                recent[recentNext] = point
                recentNext = (recentNext + 1) % IdleStage.recentCapacity
            }
        }

        /// The recent fixes, newest first.
        func newestFirst() -> [Point] {
            let ordered = Array(recent[recentNext...]) + Array(recent[..<recentNext])
            return ordered.reversed()
        }

        /// Starts a new cluster from the newest run of recent fixes that stay within `radius` of their centre.
        mutating func rebuild(radius: Double) {
            sumX = 0
            sumY = 0
            sumSquares = 0
            count = 0
            latest = 0
            idle = false
            outside = 0
            departure = nil
            let points = newestFirst()
            for point in points {
                if count > 0 {
                    let dx = Double(point.x - points[0].x)
                    let dy = Double(point.y - points[0].y)
                    if distanceFromCentre(point) > radius || (dx * dx + dy * dy).squareRoot() > radius { break }
                }
                join(point)
                start = point.time
            }
        }
    }

    /// Recent fixes kept per vehicle to rebuild a cluster.
    static let recentCapacity = 16
    /// How long a vehicle must have been seen standing before it goes quiet for the timer to call it halted.
    private static let quietEvidence: Int64 = 15_000
    /// The most the noise margin adds to the radius, metres.
    private static let maxMargin = 25.0

    private let radius: Double
    let after: Int64
    private let exitFixes: Int
    private let exitSpan: Int64
    private let isAtPlannedStop: (@Sendable (VehicleID, Double, Double) -> Bool)?
    var states: [State?] = []

    /// An idle detector.
    /// - Parameters:
    ///   - config: radius, duration, exit rule.
    ///   - isAtPlannedStop: whether a position is inside one of the vehicle's planned stops (no idle there).
    public init(config: DetectorConfig, isAtPlannedStop: (@Sendable (VehicleID, Double, Double) -> Bool)? = nil) {
        radius = config.idleRadius
        after = config.idleAfter ?? .max
        exitFixes = max(1, config.idleExitFixes)
        exitSpan = max(0, config.idleExitSpan)
        self.isAtPlannedStop = isAtPlannedStop
    }

    /// One timer: the moment a candidate halt becomes long enough.
    public var timerKinds: Int { 1 }

    /// Joins the fix to the current cluster or counts it outside; starts or ends halts.
    public func process(_ fix: Fix, context: inout StageContext) {
        if states.count <= context.slot {
            states.append(contentsOf: repeatElement(nil, count: context.slot + 1 - states.count))
        }
        if states[context.slot] == nil { states[context.slot] = State(at: fix) }
        // Updated in place in the array: neither the state nor its ring of recent fixes is copied.
        update(&states[context.slot]!, with: fix, context: &context)
    }

    private func update(_ state: inout State, with fix: Fix, context: inout StageContext) {
        if abs(fix.latitude - state.originLatitude) > 0.1 || abs(fix.longitude - state.originLongitude) > 0.1 {
            // Far from the plane's origin (about 10 km): re-centre; nothing recent is near anyway.
            if state.idle { endHalt(&state, at: fix.time.millisecondsSinceEpoch, context: &context) }
            state = State(at: fix)
        }
        let point = state.point(fix)
        state.remember(point)
        guard state.count > 0 else {
            state.rebuild(radius: radius)
            arm(start: state.start, count: state.count, fix: fix, context: &context)
            return
        }
        let distance = state.distanceFromCentre(point)
        if distance <= radius {
            state.departure = nil
        } else if state.departure == nil {
            state.departure = point.time
        }
        let margin = state.idle ? min(Self.maxMargin, fix.accuracy.map { 2 * Double($0) } ?? 1.5 * state.scatter) : 0
        if distance <= radius + margin {
            state.outside = 0
            state.join(point)
            if !state.idle && point.time - state.start >= after {
                startHalt(&state, detectedAt: fix.time, context: &context)
            } else if !state.idle {
                arm(start: state.start, count: state.count, fix: fix, context: &context)
            }
            return
        }
        if state.outside == 0 {
            state.firstOutside = point.time
            if !state.idle { context.cancelTimer(0) }  // leaving: no halt by timer for this cluster
        }
        state.outside += 1
        if state.outside >= exitFixes && point.time - state.firstOutside >= exitSpan {
            if state.idle { endHalt(&state, at: state.departure ?? state.firstOutside, context: &context) }
            state.rebuild(radius: radius)
            arm(start: state.start, count: state.count, fix: fix, context: &context)
        }
    }

    /// `idle`, since the halt began.
    public func describe(slot: Int, into view: inout VehicleView) {
        guard slot < states.count, let state = states[slot], state.idle else { return }
        view.report(.idle, since: Timestamp(millisecondsSinceEpoch: state.start))
    }

    /// A quiet vehicle inside its cluster: the halt has lasted long enough.
    public func timerFired(_ kind: Int, context: inout StageContext) {
        // The vehicle went quiet inside the radius and the shard clock says the halt has lasted long enough: only
        // if it was seen standing still for a while (a vehicle that goes quiet while driving is lost, not idle).
        guard var state = states[context.slot].take() else { return }
        defer { states[context.slot] = state }
        // Not if it was last seen pulling away (outside fixes not yet enough to close the cluster).
        guard !state.idle, state.outside == 0, state.count >= 3, state.latest - state.start >= Self.quietEvidence
        else { return }
        startHalt(&state, detectedAt: Timestamp(millisecondsSinceEpoch: state.start + after), context: &context)
    }

    private func startHalt(_ state: inout State, detectedAt: Timestamp, context: inout StageContext) {
        if let isAtPlannedStop, isAtPlannedStop(context.vehicle, state.centreLatitude, state.centreLongitude) {
            return
        }
        state.idle = true
        context.cancelTimer(0)
        context.emit(
            Alert(
                type: .idleStart,
                vehicle: context.vehicle,
                time: Timestamp(millisecondsSinceEpoch: state.start),
                latitude: state.centreLatitude,
                longitude: state.centreLongitude,
                fields: [AlertField("detected_at", .time(detectedAt)), AlertField("radius", .number(radius))]
            )
        )
    }

    private func endHalt(_ state: inout State, at departed: Int64, context: inout StageContext) {
        context.emit(
            Alert(
                type: .idleEnd,
                vehicle: context.vehicle,
                time: Timestamp(millisecondsSinceEpoch: departed),
                latitude: state.centreLatitude,
                longitude: state.centreLongitude,
                fields: [
                    AlertField("started", .time(Timestamp(millisecondsSinceEpoch: state.start))),
                    AlertField("duration", .number(Double(departed - state.start) / 1000)),
                ]
            )
        )
        state.idle = false
    }

    /// Arms the timer for when the current cluster will have lasted long enough, on the shard clock.
    /// Sets the timer for a cluster that began at `start` (event time) and holds `count` fixes. Takes the two
    /// values, not the state, so the state (and its ring of recent fixes) is never copied.
    private func arm(start: Int64, count: Int, fix: Fix, context: inout StageContext) {
        guard after != .max, count > 0 else { return }
        let remaining = start + after - fix.time.millisecondsSinceEpoch
        context.setTimer(
            0,
            at: Timestamp(millisecondsSinceEpoch: context.now.millisecondsSinceEpoch + max(0, remaining))
        )
    }
}
