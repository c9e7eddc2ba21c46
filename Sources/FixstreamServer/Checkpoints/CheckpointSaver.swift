import FixstreamNet
import FixstreamStore
import FixstreamWire
import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The checkpoint thread: saves what the shards post, everything queued in one transaction, so SQLite never
/// runs on a shard thread.
///
/// A state is saved only once the alerts submitted before it are in the alert journal (waiting up to
/// ``journalWait`` for them): a checkpoint never runs ahead of the journal, so a crash cannot lose an alert whose
/// effect (a fence entered) a restart would take as already announced. A crash can repeat alerts instead (the
/// latest checkpoint may be older than the latest alerts): at least once, never lost.
///
/// A failed save keeps its rows and is retried every second; meanwhile nothing more is taken, the mailbox fills
/// and the shards keep their vehicles dirty. Stopping saves what is queued (one last try) and returns.
final class CheckpointSaver {
    /// The longest a save waits for the journal (which may be failing) before going ahead, nanoseconds.
    static let journalWait: UInt64 = 2_000_000_000

    private let mailbox: CheckpointMailbox
    private let alerts: AlertDispatcher
    private let store: CheckpointStore
    private let published: Published<CheckpointCounters>
    private var counters: CheckpointCounters

    /// A saver into `store` (moved to the checkpoint thread with it), starting from the counters of the restore.
    init(
        mailbox: CheckpointMailbox,
        alerts: AlertDispatcher,
        store: CheckpointStore,
        published: Published<CheckpointCounters>
    ) {
        self.mailbox = mailbox
        self.alerts = alerts
        self.store = store
        self.published = published
        counters = published.read()
    }

    /// The thread body; returns once stopped and what was queued is saved (or failed for good).
    func run() {
        var batch: CheckpointMailbox.Rows = []
        var failing = false
        var retryAt: UInt64 = 0
        while true {
            let stop = mailbox.isStopping
            if batch.isEmpty || stop { mailbox.take(into: &batch) }
            let now = MonotonicClock.nanoseconds()
            if !batch.isEmpty && (!failing || stop || now >= retryAt) {
                waitForJournal()
                do {
                    try store.save(batch.lazy.map { ($0.0.description, $0.1) })
                    counters.saved += batch.count
                    batch.removeAll(keepingCapacity: true)
                    failing = false
                    mailbox.saving.store(true, ordering: .relaxed)
                } catch {
                    counters.errors += 1
                    if !failing { ServerLog.error("checkpoints: cannot save vehicle states (retrying): \(error)") }
                    failing = true
                    mailbox.saving.store(false, ordering: .relaxed)
                    retryAt = now + 1_000_000_000
                }
                published.publish(counters)
            }
            if stop {
                if !batch.isEmpty { ServerLog.error("checkpoints: \(batch.count) vehicle states were not saved") }
                return
            }
            mailbox.sleep(timeoutMilliseconds: 1000, forRows: !failing)
        }
    }

    /// Waits until every alert submitted so far is journaled, looking every millisecond, at most ``journalWait``.
    private func waitForJournal() {
        let submitted = alerts.submittedCount
        let deadline = MonotonicClock.nanoseconds() + Self.journalWait
        while !alerts.hasJournaled(submitted) && MonotonicClock.nanoseconds() < deadline { usleep(1000) }
    }
}
