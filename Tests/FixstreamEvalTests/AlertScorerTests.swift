import FixstreamEval
import Testing

/// The scorer: one-to-one matching within the tolerance, ambiguity near thresholds, silences, the end of the data,
/// and ETA errors at the horizons.
struct AlertScorerTests {
    /// 2026-06-01T06:00:00Z plus `seconds`, in milliseconds.
    static func at(_ seconds: Int64) -> Int64 { 1_780_293_600_000 + seconds * 1000 }

    static func text(_ seconds: Int64) -> String {
        let total = 6 * 3600 + seconds
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "2026-06-01T\(two(total / 3600)):\(two(total / 60 % 60)):\(two(total % 60)).000Z"
    }

    static func alert(_ type: String, _ vehicle: String, _ seconds: Int64, _ extra: String = "") -> String {
        #"{"id":1,"type":"\#(type)","vehicle":"\#(vehicle)","time":"\#(text(seconds))","lat":43.7,"lon":7.4\#(extra)}"#
    }

    static let run = TruthEvent.run(
        TruthEvent.Run(seed: 1, vehicles: 1, start: at(0), end: at(7_200), fixes: 7_200)
    )
    static let power = TruthEvent.power(TruthEvent.Power(vehicle: "v", trip: "t", on: at(0), off: at(7_000)))

    static func score(_ truth: [TruthEvent], _ alerts: [String], rules: ScoreRules = ScoreRules()) -> ScoreReport {
        var scorer = AlertScorer(truth: [run, power] + truth, rules: rules)
        for line in alerts { scorer.add(line: line) }
        return scorer.finish()
    }

    static func halt(_ start: Int64, _ end: Int64) -> TruthEvent {
        .halt(TruthEvent.Halt(vehicle: "v", start: at(start), end: at(end), latitude: 43.7, longitude: 7.4))
    }

    @Test func matchesOneToOneWithinTheTolerance() {
        let report = Self.score(
            [Self.halt(100, 700), Self.halt(1_000, 1_600)],
            [
                Self.alert("idle.start", "v", 95), Self.alert("idle.start", "v", 98),  // one of them is extra
                Self.alert("idle.start", "v", 1_031),  // 31 s late: misses
                Self.alert("idle.end", "v", 729), Self.alert("idle.end", "v", 1_610),
            ]
        )
        let start = report["idle.start"]!
        #expect(start.expected == 2)
        #expect(start.matched == 1)
        #expect(start.falseAlerts == 2)
        #expect(start.precision == 1.0 / 3)
        #expect(start.recall == 0.5)
        #expect(report["idle.end"]!.matched == 2)
        #expect(report["idle.end"]!.precision == 1)
    }

    @Test func haltsNearTheIdleThresholdAreAmbiguous() {
        // 125 s against 120 s: an alert is neither right nor wrong, and none is no miss. 60 s: none expected.
        let report = Self.score(
            [Self.halt(100, 225), Self.halt(1_000, 1_060), Self.halt(2_000, 2_300)],
            [Self.alert("idle.start", "v", 100), Self.alert("idle.start", "v", 1_000)]
        )
        let start = report["idle.start"]!
        #expect(start.expected == 1)
        #expect(start.ambiguous == 1)
        #expect(start.absorbed == 1)
        #expect(start.matched == 0)
        #expect(start.falseAlerts == 1)
    }

    @Test func anEventInASilenceMayBeSeenWithTheFirstFixAfterIt() {
        let silence = TruthEvent.outage(
            TruthEvent.Outage(
                vehicle: "v",
                last: Self.at(490),
                lastFix: Self.at(490),
                resumed: Self.at(560),
                firstFix: Self.at(560),
                cause: "gps"
            )
        )
        let arrival = TruthEvent.stop(
            TruthEvent.Stop(
                vehicle: "v",
                trip: "t",
                stop: "s1",
                arrived: Self.at(500),
                departed: Self.at(900),
                legStart: Self.at(300),
                initial: false,
                clear: true,
                windowEnd: nil
            )
        )
        // A fence passed entirely inside the silence could not be seen.
        let pass = TruthEvent.visit(
            TruthEvent.Visit(
                vehicle: "v",
                fence: "f",
                enter: Self.at(510),
                exit: Self.at(520),
                maxDepth: 40,
                deepest: Self.at(515),
                hysteresis: 10,
                dwell: nil
            )
        )
        let report = Self.score(
            [silence, arrival, pass],
            [
                Self.alert("stop.arrived", "v", 560, #","trip":"t","stop":"s1""#),
                Self.alert("stop.departed", "v", 901, #","trip":"t","stop":"s1""#),
                Self.alert("stop.approaching", "v", 320, #","trip":"t","stop":"s1""#),
            ]
        )
        #expect(report["stop.arrived"]!.matched == 1)
        #expect(report["stop.departed"]!.matched == 1)
        #expect(report["stop.approaching"]!.matched == 1)
        #expect(report["geofence.enter"]!.expected == 0)
        #expect(report["geofence.enter"]!.ambiguous == 1)
        #expect(report["gps.lost"]!.expected == 0)  // 70 s of silence: no loss
    }

    @Test func aSkippedStopsApproachIsAmbiguousAndTheNextOnesIsExpected() {
        // s1 served, s2 skipped, s3 served: whether the van was approaching s2 is not for the truth to say; it
        // drove to s3 from s1, so s3's approach is expected (and missed here: the alert went to s2).
        func served(_ stop: String, _ legStart: Int64, _ arrived: Int64) -> TruthEvent {
            .stop(
                TruthEvent.Stop(
                    vehicle: "v",
                    trip: "t",
                    stop: stop,
                    arrived: Self.at(arrived),
                    departed: Self.at(arrived + 120),
                    legStart: Self.at(legStart),
                    initial: false,
                    clear: true,
                    windowEnd: nil
                )
            )
        }
        let truth = [
            served("s1", 100, 400), .skip(TruthEvent.Skip(vehicle: "v", trip: "t", stop: "s2")),
            served("s3", 520, 900),
        ]
        let report = Self.score(
            truth,
            [
                Self.alert("stop.approaching", "v", 300, #","trip":"t","stop":"s1""#),
                Self.alert("stop.approaching", "v", 600, #","trip":"t","stop":"s2""#),
            ]
        )
        let approaching = report["stop.approaching"]!
        #expect(approaching.expected == 2)
        #expect(approaching.matched == 1)
        #expect(approaching.ambiguous == 1)
        #expect(approaching.falseAlerts == 0)
    }

    @Test func whatOnlyDataAfterTheEndCouldDecideIsAmbiguous() {
        let report = Self.score([Self.halt(7_150, 7_190)], [])
        #expect(report["idle.start"]!.expected == 0)
        // Still halted at the end, 140 s after it began: long enough, but decided 10 s before the end (less than
        // the tolerance).
        let open = TruthEvent.halt(
            TruthEvent.Halt(vehicle: "v", start: Self.at(7_060), end: nil, latitude: 43.7, longitude: 7.4)
        )
        let late = Self.score([open], [])
        #expect(late["idle.start"]!.expected == 0)
        #expect(late["idle.start"]!.ambiguous == 1)
        #expect(Self.score([Self.halt(6_900, 7_100)], [])["idle.start"]!.expected == 1)
    }

    @Test func alertsTheTruthCannotJudgeAreListedApart() {
        let report = Self.score(
            [],
            [Self.alert("eta.changed", "v", 10, #","trip":"t","stop":"s1""#), "not json", "  "]
        )
        #expect(report.notScored.map(\.type) == ["eta.changed"])
        #expect(report.unreadableLines == 1)
    }

    @Test func etaErrorsAreThePredictionsInForceAtEachHorizon() {
        let arrival = TruthEvent.stop(
            TruthEvent.Stop(
                vehicle: "v",
                trip: "t",
                stop: "s1",
                arrived: Self.at(4_000),
                departed: nil,
                legStart: Self.at(100),
                initial: false,
                clear: true,
                windowEnd: nil
            )
        )
        func eta(_ seconds: Int64, predicted: Int64, status: String = "pending") -> String {
            #"{"type":"eta","vehicle":"v","time":"\#(Self.text(seconds))","trip":"t","stops":[{"stop":"s0","status":"departed"},{"stop":"s1","status":"\#(status)","eta":"\#(Self.text(predicted))","distance":100}]}"#
        }
        // In force at 30 min before (2200 s): the line at 2190 s (60 s early). At 15 min (3100 s): the line at
        // 3100 s itself (30 s late). At 5 min (3700 s): the last line, 3500 s, is older than two minutes: missing.
        let report = Self.score(
            [arrival],
            [
                eta(2_000, predicted: 3_000), eta(2_190, predicted: 3_940), eta(2_210, predicted: 5_000),
                eta(3_100, predicted: 4_030), eta(3_500, predicted: 4_000),
            ]
        )
        #expect(report.etaLines == 5)
        #expect(report.eta.map(\.horizon) == [1_800, 900, 300])
        #expect(report.eta[0].count == 1)
        #expect(report.eta[0].p50 == -60)
        #expect(report.eta[1].count == 1)
        #expect(report.eta[1].meanAbsoluteError == 30)
        #expect(report.eta[2].count == 0)
        #expect(report.eta[2].missing == 1)
    }

    @Test func truthLinesRoundTrip() throws {
        let events: [TruthEvent] = [
            Self.run, Self.power, Self.halt(10, 300),
            .visit(
                TruthEvent.Visit(
                    vehicle: "v",
                    fence: "f",
                    enter: Self.at(5),
                    exit: nil,
                    maxDepth: 38.5,
                    deepest: Self.at(9),
                    hysteresis: 10,
                    dwell: 120_000
                )
            ),
            .detour(
                TruthEvent.Detour(
                    vehicle: "v",
                    trip: "t",
                    start: Self.at(50),
                    end: Self.at(150),
                    threshold: 100,
                    maxOffset: 180.5,
                    lastClearlyOff: Self.at(140),
                    cause: "detour"
                )
            ),
            .skip(TruthEvent.Skip(vehicle: "v", trip: "t", stop: "s2")),
        ]
        for event in events {
            var line: [UInt8] = []
            event.appendLine(to: &line)
            #expect(line.last == UInt8(ascii: "\n"))
            #expect(try TruthEvent(line: line.dropLast()) == event)
        }
        #expect(throws: EvalError.self) { try TruthEvent(line: Array(#"{"kind":"meteor"}"#.utf8)) }
    }
}
