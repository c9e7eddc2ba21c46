import FixstreamNet
public import FixstreamWire

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Sends recorded traces to a Fixstream server, paced by their timestamps or as fast as possible.
///
/// One thread: the schedule yields fixes in due order; the replayer sleeps until each is due (real-time or scaled
/// pacing), respects a total rate cap, and writes them in large writes per connection. Event times of traces are
/// moved so they end near the wall clock (live at speed 1): recorded traces are years old, and a server judges
/// freshness. Fixes replayed as recorded (``init(recorded:options:target:)``) keep their times and order.
public final class Replayer {
    private let traces: [[Fix]]
    private let recorded: [Fix]?
    private let options: ReplayOptions
    private let target: ReplayTarget

    /// Prepares a replay of `traces` (each one source vehicle's fixes in time order) to `target`.
    public init(traces: [[Fix]], options: ReplayOptions, target: ReplayTarget) {
        self.traces = traces.filter { !$0.isEmpty }
        recorded = nil
        self.options = options
        self.target = target
    }

    /// Prepares a replay of `fixes` as recorded (see ``RecordedSchedule``): their order, their own event times
    /// (so they must end before now, or a server refuses them as from the future), paced by the newest time so
    /// far at `options.speed`. `options.vehicles` does not apply; a `duration` only cuts the replay short.
    public init(recorded fixes: [Fix], options: ReplayOptions, target: ReplayTarget) {
        traces = []
        recorded = fixes
        self.options = options
        self.target = target
    }

    /// Groups decoded fixes into per-vehicle traces in time order (stable for equal times).
    public static func traces(from fixes: [Fix]) -> [[Fix]] {
        var order: [VehicleID] = []
        var byVehicle: [VehicleID: [Fix]] = [:]
        for fix in fixes {
            if byVehicle[fix.vehicle] == nil { order.append(fix.vehicle) }
            byVehicle[fix.vehicle, default: []].append(fix)
        }
        return order.map { id in
            byVehicle[id]!.enumerated().sorted {
                ($0.element.time, $0.offset) < ($1.element.time, $1.offset)
            }.map(\.element)
        }
    }

    /// Runs the replay. `progress` is called about once a second with the figures so far.
    /// - Parameters:
    ///   - progress: called about once a second with the figures so far.
    ///   - shouldStop: asked before each fix (and at least every 100 ms while waiting): true ends the replay
    ///     early, after what was already queued is written.
    /// - Throws: ``SystemError`` when the target cannot be reached.
    public func run(
        progress: (ReplayResult) -> Void = { _ in },
        shouldStop: () -> Bool = { false }
    ) throws -> ReplayResult {
        if let recorded {
            guard !recorded.isEmpty else { return ReplayResult() }
            var schedule = RecordedSchedule(fixes: recorded, speed: options.speed)
            return try play(&schedule, progress: progress, shouldStop: shouldStop)
        }
        guard !traces.isEmpty else { return ReplayResult() }
        let vehicles = max(1, options.vehicles)
        let loops = options.duration != nil
        let now = WallClock.milliseconds()
        var schedule = ReplaySchedule(
            traces: traces,
            vehicles: vehicles,
            speed: options.speed,
            loops: loops,
            eventSpan: plannedEventSpan(vehicles: vehicles),
            now: now,
            staggerWindow: Int64(options.staggerWindow * 1000)
        )
        return try play(&schedule, progress: progress, shouldStop: shouldStop)
    }

    /// Sends what `schedule` yields, paced, rate-capped and cut at the duration.
    private func play(
        _ schedule: inout some ReplayEvents,
        progress: (ReplayResult) -> Void,
        shouldStop: () -> Bool
    ) throws -> ReplayResult {
        var sender = try ReplaySender(target: target, connections: max(1, options.connections), options: options)
        var result = ReplayResult()
        let start = MonotonicClock.nanoseconds()
        var lastProgress = start
        let deadline = options.duration.map { start + UInt64($0 * 1e9) }
        while let event = schedule.next() {
            var clock = MonotonicClock.nanoseconds()
            if let deadline, clock >= deadline { break }
            if shouldStop() { break }
            if options.speed != nil, event.due > clock - start {
                try sender.flush()
                Self.sleep(nanoseconds: min(event.due - (clock - start), 100_000_000))
                clock = MonotonicClock.nanoseconds()
                if event.due > clock - start {
                    // Woke early to report progress or check the deadline; try this event again.
                    schedule.pushBack(event)
                    if clock - lastProgress >= 1_000_000_000 {
                        result.sent = sender.sent
                        result.bytes = sender.bytes
                        result.seconds = Double(clock - start) / 1e9
                        progress(result)
                        lastProgress = clock
                    }
                    continue
                }
            }
            if let rate = options.rate {
                let allowed = Double(clock - start) / 1e9 * rate
                if Double(sender.sent) >= allowed {
                    try sender.flush()
                    Self.sleep(nanoseconds: UInt64((Double(sender.sent) - allowed) / rate * 1e9) + 50_000)
                    clock = MonotonicClock.nanoseconds()
                }
            }
            try sender.send(event.fix, vehicle: event.vehicle)
            if clock - lastProgress >= 1_000_000_000 {
                result.sent = sender.sent
                result.bytes = sender.bytes
                result.seconds = Double(clock - start) / 1e9
                progress(result)
                lastProgress = clock
            }
        }
        try sender.finish()
        result.sent = sender.sent
        result.bytes = sender.bytes
        result.statuses = sender.statuses
        result.errors = sender.errors
        result.seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
        return result
    }

    /// The event time the whole run may cover, so that times end near the clock and never run ahead of it.
    private func plannedEventSpan(vehicles: Int) -> Int64 {
        guard let duration = options.duration else { return 0 }
        let fixesPerPass = Double(traces.map(\.count).reduce(0, +)) / Double(traces.count)
        let span = Double(
            traces.map { $0.last!.time.millisecondsSinceEpoch - $0.first!.time.millisecondsSinceEpoch }.max()!
        )
        if let speed = options.speed { return Int64(duration * speed * 1000) + 60_000 }
        // Full speed: assume at most the rate cap (or 2 M fixes/s) to bound how far each vehicle can get.
        let fixesPerVehicle = duration * (options.rate ?? 2_000_000) / Double(vehicles)
        let passes = fixesPerVehicle / max(1, fixesPerPass) + 1
        return Int64(passes * (span + 1000)) + 60_000
    }

    /// The whole replay encoded in advance, one byte stream per connection (native JSON lines), for benchmarks
    /// that must measure the server rather than the encoder. Ignores pacing, rate and duration.
    public func encodedStreams() -> [[UInt8]] {
        var schedule = ReplaySchedule(
            traces: traces,
            vehicles: max(1, options.vehicles),
            speed: nil,
            loops: false,
            eventSpan: 0,
            now: WallClock.milliseconds(),
            staggerWindow: Int64(options.staggerWindow * 1000)
        )
        var streams = [[UInt8]](repeating: [], count: max(1, options.connections))
        while let event = schedule.next() {
            ReplayEncoder.appendJSONLine(event.fix, to: &streams[event.vehicle % streams.count])
        }
        return streams
    }

    /// The whole replay encoded in advance as UDP datagrams of up to ``ReplayOptions/linesPerDatagram`` lines.
    public func encodedDatagrams() -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var current: [UInt8] = []
        var lines = 0
        for stream in encodedStreams() {
            var start = 0
            for index in stream.indices where stream[index] == 0x0A {
                current.append(contentsOf: stream[start ... index])
                start = index + 1
                lines += 1
                if lines == options.linesPerDatagram || current.count > 1200 {
                    datagrams.append(current)
                    current.removeAll(keepingCapacity: true)
                    lines = 0
                }
            }
        }
        if !current.isEmpty { datagrams.append(current) }
        return datagrams
    }

    private static func sleep(nanoseconds: UInt64) {
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        nanosleep(&request, nil)
    }
}
