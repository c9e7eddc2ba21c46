import FixstreamNet
import FixstreamPipeline
import FixstreamStore
import Synchronization

/// Collects alerts from every shard and, on one alert thread, journals them (the journal gives the ids), then
/// hands them, numbered, to the other sink and tells the feeds.
///
/// Shards append under a short lock (alerts are rare next to fixes); the alert thread swaps the pending list out
/// and appends it to the journal in one transaction: group commit, so the batch grows with the load and the
/// shards never wait for the disk. Only a committed alert reaches the JSON-lines sink and the feeds. A batch the
/// journal refuses (disk full) is kept and retried every 100 ms; alerts keep queueing meanwhile, up to
/// ``maximumBacklog``, beyond which the oldest are dropped and counted. Stopping drains what is pending.
final class AlertDispatcher: Sendable {
    /// What the alert thread has done, for metrics.
    struct Counters: Sendable {
        /// Alerts committed to the journal (and handed to the sink).
        var written: Int64 = 0
        /// Journal appends that failed (each retried).
        var journalErrors: Int64 = 0
        /// Alerts dropped because the journal failed for so long that the backlog passed its cap.
        var dropped: Int64 = 0
        /// Alerts removed by retention.
        var pruned: Int64 = 0
        /// The newest committed id.
        var lastID: Int64 = 0
        /// Pages the journal uses, bytes (updated when pruning).
        var journalBytes: Int64 = 0
    }

    private struct State {
        var pending: [Alert] = []
        var counters = Counters()
        /// Alerts submitted since the start.
        var submitted = 0
    }

    /// Alerts held while the journal fails, at most.
    static let maximumBacklog = 1_000_000

    private let state = Mutex(State())
    private let doorbell: Doorbell
    private let stopping = Atomic<Bool>(false)
    private let committed: Atomic<Int64>
    /// Rung after every commit: the HTTP thread's feeds read on.
    let commits: EventNotifier
    /// Called after every commit (the webhook dispatcher's wake-up).
    private let commitListeners = Mutex<[@Sendable () -> Void]>([])
    /// Called after every commit with the alerts committed and the first one's id.
    private let alertListeners = Mutex<[@Sendable ([Alert], Int64) -> Void]>([])

    /// A dispatcher whose journal's newest id is `lastID`.
    init(lastID: Int64) throws {
        doorbell = try Doorbell()
        commits = try EventNotifier()
        committed = Atomic(lastID)
        state.withLock { $0.counters.lastID = lastID }
    }

    /// Calls `listener` after every commit from now on (on the alert thread; it must not block).
    func onCommit(_ listener: @escaping @Sendable () -> Void) {
        commitListeners.withLock { $0.append(listener) }
    }

    /// Calls `listener` after every commit from now on with the alerts committed and the id of the first (on the
    /// alert thread, in id order; it must not block).
    func onCommit(alerts listener: @escaping @Sendable ([Alert], Int64) -> Void) {
        alertListeners.withLock { $0.append(listener) }
    }

    /// Shard side: queues alerts for the journal.
    func submit(_ alerts: [Alert]) {
        guard !alerts.isEmpty else { return }
        state.withLock {
            $0.pending.append(contentsOf: alerts)
            $0.submitted += alerts.count
        }
        doorbell.ring()
    }

    /// How many alerts were submitted so far: with ``hasJournaled(_:)``, lets the checkpoint thread wait until
    /// the alerts a vehicle's state already accounts for are in the journal.
    var submittedCount: Int { state.withLock { $0.submitted } }

    /// Whether the first `count` alerts submitted are committed to the journal (or were dropped).
    func hasJournaled(_ count: Int) -> Bool {
        state.withLock { $0.counters.written + $0.counters.dropped >= Int64(count) }
    }

    /// The counters right now.
    var counters: Counters { state.withLock { $0.counters } }

    /// The newest id committed to the journal: feeds read up to it.
    var lastCommittedID: Int64 { committed.load(ordering: .acquiring) }

    /// Asks ``run(journal:retention:sink:onError:)`` to drain and return.
    func stop() {
        stopping.store(true, ordering: .releasing)
        doorbell.ring()
    }

    /// The alert thread's loop until stopped, then one more drain and a flush. Errors are reported through
    /// `onError` (once per kind of failure in a row) and do not stop the loop.
    func run(journal: AlertJournal, retention: JournalRetention, sink: some AlertSink, onError: (any Error) -> Void) {
        var batch: [Alert] = []
        var records: [JournalRecord] = []
        var failing = false
        var retryAt: Int64 = 0
        var lastPrune: Int64 = 0
        while true {
            let stop = stopping.load(ordering: .acquiring)
            state.withLock { state in
                if batch.isEmpty {
                    swap(&batch, &state.pending)
                } else {
                    batch.append(contentsOf: state.pending)
                    state.pending.removeAll(keepingCapacity: true)
                }
                if batch.count > Self.maximumBacklog {
                    let excess = batch.count - Self.maximumBacklog
                    state.counters.dropped += Int64(excess)
                    batch.removeFirst(excess)
                    records.removeFirst(min(excess, records.count))
                }
            }
            if !batch.isEmpty && (!failing || stop || AlertJournal.wallClock() >= retryAt) {
                // Records of a batch being retried are kept: only the newly drained alerts are rendered.
                for alert in batch[records.count...] { records.append(AlertRecord.record(for: alert)) }
                do {
                    let ids = try journal.append(records)
                    failing = false
                    do { try sink.write(batch, firstID: ids.lowerBound) } catch { onError(error) }
                    state.withLock {
                        $0.counters.written += Int64(batch.count)
                        $0.counters.lastID = ids.upperBound - 1
                    }
                    committed.store(ids.upperBound - 1, ordering: .releasing)
                    commits.signal()
                    for listener in commitListeners.withLock({ $0 }) { listener() }
                    for listener in alertListeners.withLock({ $0 }) { listener(batch, ids.lowerBound) }
                    batch.removeAll(keepingCapacity: true)
                    records.removeAll(keepingCapacity: true)
                } catch {
                    state.withLock { $0.counters.journalErrors += 1 }
                    if !failing { onError(error) }
                    failing = true
                    retryAt = AlertJournal.wallClock() + 100
                }
            }
            do { try sink.flush() } catch { onError(error) }
            let now = AlertJournal.wallClock()
            if now - lastPrune >= 1000 {
                lastPrune = now
                prune(journal, retention, now: now, onError: onError)
            }
            if stop && (batch.isEmpty || failing) {
                state.withLock { $0.counters.dropped += Int64(batch.count) }
                return
            }
            // After a failure, retries wait 100 ms (new alerts queue meanwhile).
            doorbell.sleep(timeoutMilliseconds: 100) {
                stopping.load(ordering: .relaxed) || (!failing && state.withLock { !$0.pending.isEmpty })
            }
        }
    }

    private func prune(_ journal: AlertJournal, _ retention: JournalRetention, now: Int64, onError: (any Error) -> Void)
    {
        do {
            let removed = try journal.prune(retention, now: now, budget: 50_000)
            let bytes = try journal.usedBytes()
            state.withLock {
                $0.counters.pruned += Int64(removed)
                $0.counters.journalBytes = Int64(bytes)
            }
        } catch {
            onError(error)
        }
    }
}
