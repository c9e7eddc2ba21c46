import FixstreamJSON
import FixstreamWire

/// Scores alerts against a simulation's truth: precision and recall per alert type, and the error of the ETAs
/// in force 30, 15 and 5 minutes before each true arrival.
///
/// Feed it the lines `fixstream process` wrote (alerts, and with `--eta` the ETA lines; fix lines are ignored)
/// one at a time with ``add(line:)``, then ``finish()``. Matching is one to one within each (type, vehicle, key):
/// expectations are served in order of their latest acceptable time, each taking the earliest unused alert
/// within its window and the tolerance, clear expectations before ambiguous ones (see ``ScoreRules``).
///
/// ETAs come from the `process --eta` lines, not from `eta.changed` alerts: an ETA line gives the prediction the
/// state and tracking APIs show after every fix, while `eta.changed` only announces moves of more than two minutes
/// (and never the first prediction), so the prediction in force at a given moment cannot be rebuilt from alerts.
public struct AlertScorer {
    private let rules: ScoreRules
    private var expectations: [Expectation]
    private var alerts: [AlertRecord] = []
    private var eta: ETAScorer
    /// Lines that were neither alerts nor ETA lines nor fixes (unreadable).
    public private(set) var unreadable = 0

    /// A scorer for the truth `events` under `rules`.
    public init(truth events: [TruthEvent], rules: ScoreRules = ScoreRules()) {
        self.rules = rules
        expectations = Expectation.all(from: events, rules: rules)
        eta = ETAScorer(truth: events, rules: rules)
    }

    /// Takes one output line (without its line feed).
    public mutating func add(line: UnsafeRawBufferPointer) {
        if ETAScorer.isETALine(line) {
            eta.add(line: line)
            return
        }
        guard let value = try? JSONValue.parse(line) else {
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { unreadable += 1 }
            return
        }
        guard let type = value["type"]?.string else { return }  // a fix line (`--fixes`)
        guard let vehicle = value["vehicle"]?.string, let text = value["time"]?.string, let time = TimeText.parse(text)
        else {
            unreadable += 1
            return
        }
        let key: String
        switch type {
        case "geofence.enter", "geofence.exit", "geofence.dwell":
            key = value["fence"]?.string ?? ""
        case "stop.approaching", "stop.arrived", "stop.departed", "eta.changed", "eta.late":
            key = (value["trip"]?.string ?? "") + "/" + (value["stop"]?.string ?? "")
        case "route.deviation", "route.rejoin":
            key = value["trip"]?.string ?? ""
        default:
            key = ""
        }
        alerts.append(AlertRecord(type: type, vehicle: vehicle, key: key, time: time))
    }

    /// Takes one output line.
    public mutating func add(line: String) {
        var line = line
        line.withUTF8 { add(line: UnsafeRawBufferPointer($0)) }
    }

    /// The scores.
    public mutating func finish() -> ScoreReport {
        var report = ScoreReport()
        report.etaLines = eta.lines
        report.unreadableLines = unreadable
        report.eta = eta.finish()
        struct Group: Hashable {
            var type: String
            var vehicle: String
            var key: String
        }
        var expected: [Group: [Int]] = [:]
        for (index, expectation) in expectations.enumerated() {
            expected[Group(type: expectation.type, vehicle: expectation.vehicle, key: expectation.key), default: []]
                .append(index)
        }
        var raised: [Group: [Int]] = [:]
        for (index, alert) in alerts.enumerated() {
            raised[Group(type: alert.type, vehicle: alert.vehicle, key: alert.key), default: []].append(index)
        }
        var scores: [String: ScoreReport.TypeScore] = [:]
        for type in ScoreReport.scoredTypes { scores[type] = ScoreReport.TypeScore(type: type) }
        var notScored: [String: Int] = [:]
        let tolerance = rules.tolerance
        for (group, alertIndices) in raised where scores[group.type] == nil {
            notScored[group.type, default: 0] += alertIndices.count
        }
        let groups = Set(expected.keys).union(raised.keys.filter { scores[$0.type] != nil })
        for group in groups.sorted(by: { ($0.type, $0.vehicle, $0.key) < ($1.type, $1.vehicle, $1.key) }) {
            var score = scores[group.type]!
            let wanted = (expected[group] ?? []).sorted {
                (expectations[$0].to, expectations[$0].from) < (expectations[$1].to, expectations[$1].from)
            }
            let times = (raised[group] ?? []).map { alerts[$0].time }.sorted()
            var used = [Bool](repeating: false, count: times.count)
            for pass in [true, false] {
                for index in wanted where expectations[index].clear == pass {
                    let expectation = expectations[index]
                    if pass { score.expected += 1 } else { score.ambiguous += 1 }
                    let low = expectation.from == .min / 2 ? Int64.min : expectation.from - tolerance
                    let high = expectation.to == .max / 2 ? Int64.max : expectation.to + tolerance
                    var found: Int?
                    for (position, time) in times.enumerated() where !used[position] && time >= low && time <= high {
                        found = position
                        break
                    }
                    if let found {
                        used[found] = true
                        if pass { score.matched += 1 } else { score.absorbed += 1 }
                    } else if pass && score.missedExamples.count < ScoreReport.examples {
                        score.missedExamples.append(
                            "\(group.vehicle) \(group.key) \(TruthEvent.timeText(expectation.from)): \(expectation.detail)"
                        )
                    }
                }
            }
            score.alerts += times.count
            for (position, time) in times.enumerated() where !used[position] {
                score.falseAlerts += 1
                if score.falseExamples.count < ScoreReport.examples {
                    score.falseExamples.append("\(group.vehicle) \(group.key) \(TruthEvent.timeText(time))")
                }
            }
            scores[group.type] = score
        }
        report.types = ScoreReport.scoredTypes.map { scores[$0]! }
        report.notScored = notScored.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return report
    }
}

/// One alert as the scorer needs it.
struct AlertRecord {
    var type: String
    var vehicle: String
    var key: String
    var time: Int64
}
