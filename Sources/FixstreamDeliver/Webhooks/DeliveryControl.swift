import FixstreamNet
import Synchronization

/// What the delivery thread shares with everyone else: URLSession's completions coming in, the stop flag, the
/// wake-up, and the metrics going out. Every member is safe from any thread; nothing here blocks for long.
final class DeliveryControl: Sendable {
    /// How one POST ended, as URLSession's delegate reports it.
    struct Completion: Sendable {
        /// The endpoint's index in the dispatcher's list.
        var lane: Int
        /// The task's `taskIdentifier` (unique within its endpoint's session).
        var task: Int
        /// The HTTP status when a whole response arrived.
        var status: Int?
        /// The transport error, when there was one.
        var error: String?
    }

    /// Readable while the delivery thread has something to look at.
    let notifier: EventNotifier
    private let completions = Mutex<[Completion]>([])
    private let stopping = Atomic<Bool>(false)
    private let published: Mutex<[WebhookEndpointMetrics]>

    /// Creates the shared state for endpoints named `names`.
    init(names: [String]) throws(SystemError) {
        notifier = try EventNotifier()
        published = Mutex(names.map { WebhookEndpointMetrics(name: $0) })
    }

    /// Delegate side: queues a completion and wakes the delivery thread.
    func post(_ completion: Completion) {
        completions.withLock { $0.append(completion) }
        notifier.signal()
    }

    /// Delivery thread: the completions queued since the last call.
    func takeCompletions() -> [Completion] {
        completions.withLock { queued in
            var taken: [Completion] = []
            swap(&taken, &queued)
            return taken
        }
    }

    /// Wakes the delivery thread (it then looks at the journal, its deadlines and the stop flag). Never blocks.
    func wake() {
        notifier.signal()
    }

    /// Asks the delivery thread to finish; returns whether this call was the first to ask.
    func requestStop() -> Bool {
        let (first, _) = stopping.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        if first { notifier.signal() }
        return first
    }

    /// Whether a stop was requested.
    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Delivery thread: replaces the published metrics.
    func publish(_ metrics: [WebhookEndpointMetrics]) {
        published.withLock { $0 = metrics }
    }

    /// The metrics last published.
    var metrics: [WebhookEndpointMetrics] { published.withLock { $0 } }
}
