import FixstreamPipeline
import Synchronization

/// Collects alerts from every shard and hands them, numbered, to the sink on one alert thread.
///
/// Shards append under a short lock (alerts are rare next to fixes); the alert thread swaps the pending list out,
/// assigns strictly increasing ids and writes. Stopping drains what is pending and flushes the sink.
final class AlertDispatcher: Sendable {
    private struct State {
        var pending: [Alert] = []
        var nextID: Int64 = 1
        var written: Int64 = 0
    }

    private let state = Mutex(State())
    private let doorbell: Doorbell
    private let stopping = Atomic<Bool>(false)

    /// A dispatcher numbering alerts from `firstID`.
    init(firstID: Int64 = 1) throws {
        doorbell = try Doorbell()
        state.withLock { $0.nextID = firstID }
    }

    /// Shard side: queues alerts for the sink.
    func submit(_ alerts: [Alert]) {
        guard !alerts.isEmpty else { return }
        state.withLock { $0.pending.append(contentsOf: alerts) }
        doorbell.ring()
    }

    /// Alerts handed to the sink so far.
    var written: Int64 { state.withLock { $0.written } }

    /// Asks ``run(sink:)`` to drain and return.
    func stop() {
        stopping.store(true, ordering: .releasing)
        doorbell.ring()
    }

    /// The alert thread's loop: drains pending alerts into `sink` until stopped, then drains once more and
    /// flushes. Sink errors are reported through `onError` and do not stop the loop (the alerts stay counted).
    func run(sink: some AlertSink, onError: (any Error) -> Void) {
        var batch: [Alert] = []
        while true {
            let stop = stopping.load(ordering: .acquiring)
            let firstID = state.withLock { state -> Int64 in
                swap(&batch, &state.pending)
                let first = state.nextID
                state.nextID += Int64(batch.count)
                state.written += Int64(batch.count)
                return first
            }
            if !batch.isEmpty {
                do { try sink.write(batch, firstID: firstID) } catch { onError(error) }
                batch.removeAll(keepingCapacity: true)
            }
            do { try sink.flush() } catch { onError(error) }
            if stop { return }
            doorbell.sleep(timeoutMilliseconds: 100) {
                stopping.load(ordering: .relaxed) || state.withLock { !$0.pending.isEmpty }
            }
        }
    }
}
