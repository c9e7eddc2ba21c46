import FixstreamDetect
import FixstreamEval
import FixstreamPipeline
import FixstreamWire
import Synchronization

/// What `fixstream demo` sees of the server it runs: every alert once committed (printed at once as a line for
/// people, counted by type, scored) and the ETAs after every fix of a vehicle on a trip (scored, as
/// `process --eta` lines would be).
///
/// The alert thread and the shard threads call in; the main thread reads the counts and the score.
final class DemoObserver: Sendable {
    private struct State {
        var scorer: AlertScorer
        var etaLines = ETALines()
        var line: [UInt8] = []
        var counts = [Int](repeating: 0, count: AlertType.allCases.count)
    }

    private let state: Mutex<State>
    private let console: DemoConsole
    private let format: DemoAlertLine

    /// An observer scoring against `truth`, printing to `console` as `format` says.
    init(truth: [TruthEvent], console: DemoConsole, format: DemoAlertLine) {
        state = Mutex(State(scorer: AlertScorer(truth: truth)))
        self.console = console
        self.format = format
    }

    /// Alert thread: prints, counts and scores committed alerts.
    func committed(_ alerts: [Alert], firstID: Int64) {
        var text = ""
        for alert in alerts { text += format.format(alert) + "\n" }
        try? console.write(text)
        state.withLock { state in
            for (offset, alert) in alerts.enumerated() {
                state.counts[Int(alert.type.rawValue)] += 1
                state.line.removeAll(keepingCapacity: true)
                AlertJSONWriter.append(alert, id: firstID + Int64(offset), to: &state.line)
                if state.line.last == UInt8(ascii: "\n") { state.line.removeLast() }
                state.line.withUnsafeBytes { state.scorer.add(line: $0) }
            }
        }
    }

    /// Shard threads: scores the ETAs of `trip` after a fix of `vehicle` at `time`.
    func estimated(vehicle: VehicleID, time: Timestamp, trip: String, estimates: [TripStage.Estimate]) {
        state.withLock { state in
            state.etaLines.append(vehicle: vehicle, time: time, trip: trip, estimates: estimates)
            var line = state.etaLines.take()
            if line.last == UInt8(ascii: "\n") { line.removeLast() }
            line.withUnsafeBytes { state.scorer.add(line: $0) }
        }
    }

    /// Alerts seen so far.
    var alertCount: Int { state.withLock { $0.counts.reduce(0, +) } }

    /// Alerts seen so far by type, the most frequent first.
    var countsByType: [(type: AlertType, count: Int)] {
        let counts = state.withLock { $0.counts }
        return AlertType.allCases.map { ($0, counts[Int($0.rawValue)]) }.filter { $0.count > 0 }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.type.rawValue < $1.type.rawValue }
    }

    /// The score of the alerts and ETAs seen so far against the truth.
    func score() -> ScoreReport {
        state.withLock { $0.scorer.finish() }
    }
}
