/// An alert the truth calls for: its type, vehicle and key (fence, or trip and stop, or trip), and the times it
/// may carry.
struct Expectation {
    var type: String
    var vehicle: String
    var key: String
    /// The alert's time should fall in `from ... to`, give or take the tolerance.
    var from: Int64
    var to: Int64
    var clear: Bool
    /// A description for explanations.
    var detail: String
}

extension Expectation {
    /// What the truth `events` call for under `rules`.
    ///
    /// Three rules make the expectations fair to a detector that only sees fixes:
    /// - the end of the data: an alert the detector could only decide after the last fix of the run is ambiguous;
    /// - intent: a skipped stop's approach and lateness are ambiguous (the driver may have been on the way to it);
    /// - silences in event time (no position recorded): an event inside one can only be seen with the first fix after it, so
    ///   its alert may carry that fix's time; a state that began and ended inside the same silence (a fence passed,
    ///   a short halt, a stop served) was never observable and is ambiguous, and so is the approach to the stop after
    ///   a stop served unseen (the follower still waits for that one), and an idle alert for a vehicle last seen
    ///   standing before a silence long enough for the idle timer (whether it stood through it is unknowable).
    static func all(from events: [TruthEvent], rules: ScoreRules) -> [Expectation] {
        var end = Int64.max
        var powerOn: [String: Int64] = [:]
        var silences: [String: [(from: Int64, to: Int64)]] = [:]
        for event in events {
            switch event {
            case .run(let run): end = run.end
            case .power(let power): powerOn[power.vehicle] = power.on
            case .outage(let outage):
                // In event time: a network outage's fixes arrive later but carry their own times, so its silence
                // in event time is only what the receiver itself missed.
                if let first = outage.firstFix { silences[outage.vehicle, default: []].append((outage.lastFix, first)) }
            default: break
            }
        }
        /// The silence `time` falls in, if any.
        func silence(_ vehicle: String, _ time: Int64) -> (from: Int64, to: Int64)? {
            silences[vehicle]?.first { time > $0.from && time < $0.to }
        }
        /// When a detector can first see something that happened at `time`.
        func seen(_ vehicle: String, _ time: Int64) -> Int64 { silence(vehicle, time)?.to ?? time }
        /// Whether a state from `begin` to `finish` came and went inside one silence.
        func unobservable(_ vehicle: String, _ begin: Int64, _ finish: Int64?) -> Bool {
            guard let finish, let gap = silence(vehicle, begin) else { return false }
            return finish < gap.to
        }

        var expectations: [Expectation] = []
        /// Per vehicle, whether its last served stop came and went unseen (the follower still waits for it).
        var previousHidden: [String: Bool] = [:]
        /// Per vehicle, when its last stretch off the route ended.
        var previousDetourEnd: [String: Int64] = [:]
        /// Adds an expectation; one the detector could only decide after the end of the data is ambiguous.
        func expect(
            _ type: String,
            _ vehicle: String,
            _ key: String,
            _ from: Int64,
            _ to: Int64,
            clear: Bool,
            decided: Int64,
            _ detail: String
        ) {
            let decidable = decided + rules.tolerance <= end
            expectations.append(
                Expectation(
                    type: type,
                    vehicle: vehicle,
                    key: key,
                    from: from,
                    to: max(to, seen(vehicle, to)),
                    clear: clear && decidable,
                    detail: detail
                )
            )
        }
        func at(
            _ type: String,
            _ vehicle: String,
            _ key: String,
            _ time: Int64,
            clear: Bool,
            decided: Int64? = nil,
            _ detail: String
        ) {
            expect(type, vehicle, key, time, time, clear: clear, decided: seen(vehicle, decided ?? time), detail)
        }
        for event in events {
            switch event {
            case .run, .power:
                break
            case .stop(let stop):
                let key = stop.trip + "/" + stop.stop
                let hidden = unobservable(stop.vehicle, stop.arrived, stop.departed)
                at(
                    "stop.arrived",
                    stop.vehicle,
                    key,
                    stop.arrived,
                    clear: stop.clear && !hidden,
                    "arrival at \(stop.stop)"
                )
                if let departed = stop.departed {
                    at("stop.departed", stop.vehicle, key, departed, clear: !hidden, "departure from \(stop.stop)")
                }
                if !stop.initial {
                    // Not decidable when no fix came between setting off and arriving, or while the follower
                    // still waits for a stop served unseen before.
                    let unseenLeg = unobservable(stop.vehicle, stop.legStart, stop.arrived)
                    expect(
                        "stop.approaching",
                        stop.vehicle,
                        key,
                        stop.legStart,
                        stop.arrived,
                        clear: !hidden && !unseenLeg && !(previousHidden[stop.vehicle] ?? false),
                        decided: seen(stop.vehicle, stop.arrived),
                        "approach to \(stop.stop)"
                    )
                }
                previousHidden[stop.vehicle] = hidden
                if let windowEnd = stop.windowEnd, stop.arrived > windowEnd - rules.lateBand {
                    expect(
                        "eta.late",
                        stop.vehicle,
                        key,
                        powerOn[stop.vehicle] ?? stop.legStart,
                        stop.arrived,
                        clear: stop.arrived > windowEnd + rules.lateBand && !hidden,
                        decided: seen(stop.vehicle, stop.arrived),
                        "late arrival at \(stop.stop)"
                    )
                }
            case .skip(let skip):
                // Whether a stop never reached was "late", or approached, is undefined: the driver may have been on
                // the way when deciding to skip it. (The approach to the stop the driver went to instead is not: the
                // truth knows where the van was heading, and a follower that waits for the skipped stop misses it.)
                for type in ["eta.late", "stop.approaching"] {
                    expect(
                        type,
                        skip.vehicle,
                        skip.trip + "/" + skip.stop,
                        .min / 2,
                        .max / 2,
                        clear: false,
                        decided: 0,
                        "skipped \(skip.stop)"
                    )
                }
            case .halt(let halt):
                // As long as the detector could see it: from the first fix of the halt.
                let duration = (halt.end ?? end) - seen(halt.vehicle, halt.start)
                guard duration > rules.idleAfter - rules.durationBand else { continue }
                let clear =
                    duration >= rules.idleAfter + rules.durationBand
                    && !unobservable(halt.vehicle, halt.start, halt.end)
                // The detector dates a halt from its cluster's first fix: the vehicle may have been within the
                // radius (slowing down, in a queue) before it came to rest.
                expect(
                    "idle.start",
                    halt.vehicle,
                    "",
                    min(halt.near, halt.start),
                    halt.start,
                    clear: clear,
                    decided: halt.start + rules.idleAfter,
                    "halt of \(duration / 1000) s"
                )
                if let stop = halt.end {
                    // ... and its end when the vehicle is out of the radius (more if that moment fell in a silence).
                    let out = max(stop, halt.left ?? stop) + 2_000
                    expect(
                        "idle.end",
                        halt.vehicle,
                        "",
                        stop,
                        out,
                        clear: clear,
                        decided: seen(halt.vehicle, out) + 15_000,
                        "end of a halt"
                    )
                }
            case .detour(let detour):
                // A stretch beginning within 30 s of the previous one's end: whether the follower saw the vehicle
                // back on the route in between depends on the noise.
                let quickReturn = previousDetourEnd[detour.vehicle].map { detour.start - $0 < 30_000 } ?? false
                if quickReturn,
                    let index = expectations.lastIndex(where: {
                        $0.type == "route.rejoin" && $0.vehicle == detour.vehicle
                    })
                {
                    expectations[index].clear = false
                }
                previousDetourEnd[detour.vehicle] = detour.end ?? .max
                let clear =
                    detour.maxOffset >= detour.threshold + 15
                    && (detour.lastClearlyOff ?? .min) >= detour.start + rules.deviationTime + 5_000
                    && !unobservable(detour.vehicle, detour.start, detour.end) && !quickReturn
                at(
                    "route.deviation",
                    detour.vehicle,
                    detour.trip,
                    detour.start,
                    clear: clear,
                    decided: detour.start + rules.deviationTime,
                    "\(detour.cause) off route up to \(Int(detour.maxOffset)) m"
                )
                if let back = detour.end {
                    at("route.rejoin", detour.vehicle, detour.trip, back, clear: clear, "back on route")
                }
            case .visit(let visit):
                let clear =
                    visit.maxDepth >= visit.hysteresis + rules.depthBand
                    && !unobservable(visit.vehicle, visit.enter ?? visit.deepest, visit.exit)
                let detail = "visit \(Int(visit.maxDepth)) m deep"
                at("geofence.enter", visit.vehicle, visit.fence, visit.enter ?? visit.deepest, clear: clear, detail)
                if let exit = visit.exit {
                    at("geofence.exit", visit.vehicle, visit.fence, exit, clear: clear, decided: exit + 10_000, detail)
                }
                if let dwell = visit.dwell, let enter = visit.enter {
                    // As long as the detector could see it: from the first fix inside.
                    let stay = (visit.exit ?? end) - seen(visit.vehicle, enter)
                    if stay > dwell - rules.durationBand {
                        // The dwell runs from the enter the detector saw.
                        let due = enter + dwell
                        expect(
                            "geofence.dwell",
                            visit.vehicle,
                            visit.fence,
                            due,
                            seen(visit.vehicle, enter) + dwell,
                            clear: clear && stay >= dwell + rules.durationBand,
                            decided: seen(visit.vehicle, enter) + dwell,
                            "stay of \(stay / 1000) s"
                        )
                    }
                }
            case .outage(let outage):
                if let first = outage.firstFix, let resumed = outage.resumed,
                    resumed - outage.last >= rules.idleAfter - 15_000
                {
                    // A vehicle last heard standing (at a light, at a short halt) before a long silence (nothing
                    // recorded, or nothing delivered): whether it stood through it is unknowable then, and the idle
                    // detector assumes it did.
                    expect(
                        "idle.start",
                        outage.vehicle,
                        "",
                        outage.lastFix - rules.idleAfter,
                        outage.lastFix,
                        clear: false,
                        decided: first,
                        "standing before a silence"
                    )
                    at("idle.end", outage.vehicle, "", first, clear: false, "the fix after a silence")
                }
                let silence = (outage.resumed ?? end) - outage.last
                guard silence > rules.gpsLostAfter - rules.durationBand else { continue }
                let clear = silence >= rules.gpsLostAfter + rules.durationBand
                let lost = outage.last + rules.gpsLostAfter
                at("gps.lost", outage.vehicle, "", lost, clear: clear, "\(outage.cause) silence of \(silence / 1000) s")
                if let first = outage.firstFix {
                    expect(
                        "gps.restored",
                        outage.vehicle,
                        "",
                        first,
                        first,
                        clear: clear,
                        decided: outage.resumed ?? first,
                        "fix after \(silence / 1000) s"
                    )
                }
            }
        }
        return expectations
    }
}
