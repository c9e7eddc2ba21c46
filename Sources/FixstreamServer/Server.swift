import FixstreamDeliver
public import FixstreamDetect
import FixstreamNet
public import FixstreamPipeline
import FixstreamStore
import FixstreamWire

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A running Fixstream server: the ingest thread, the HTTP thread, N shard threads and the alert thread.
///
/// ``start(_:stages:)`` binds every socket first (so a port in use fails before anything runs), then starts the
/// threads. Before the shards run, their engines are given the vehicles' checkpoints (`<data>/checkpoints.sqlite3`),
/// so detectors carry on where the previous run stopped; while running, the shards hand the states of the
/// vehicles that changed to the checkpoint thread every ``ServerConfig/checkpointInterval``. ``stop()`` shuts down
/// in dependency order: IO threads stop accepting and flush their connections into the shards; shards drain their
/// queues, finish and hand over every changed vehicle; the checkpoint thread saves them; the alert thread writes
/// what is left and flushes. Nothing accepted is lost on a graceful stop.
public final class Server: Sendable {
    /// The real ports, after port 0 was resolved.
    public let ingestPort: UInt16
    /// The OsmAnd HTTP port.
    public let osmandPort: UInt16
    /// The API port.
    public let httpPort: UInt16
    /// The address the ingest ports are bound to.
    public let listenAddress: String
    /// The address the API port is bound to.
    public let apiAddress: String
    let config: ServerConfig
    let inboxes: [ShardInbox]
    let shardStatus: [Published<ShardStatus>]
    let ingestCounters: Published<IngestCounters>
    let httpCounters: Published<IngestCounters>
    let alerts: AlertDispatcher
    /// Vehicle states from the shards to the checkpoint thread.
    let checkpoints: CheckpointMailbox
    /// What checkpointing did.
    let checkpointStatus: Published<CheckpointCounters>
    /// State questions to the shards and their answers.
    let exchange: StateExchange
    /// Posts the journal to the configured webhooks; nil without any.
    let webhooks: WebhookDispatcher?
    /// Renders `/metrics`.
    let metrics: ServerMetrics
    /// Held for the server's life (released with it).
    private let lock: DataDirectoryLock
    private let ingestControl: ServerControl
    private let httpControl: ServerControl
    private let threads: ThreadSet

    /// The `listening …` line scripts look for.
    public var listeningLine: String {
        func bracketed(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
        let host = bracketed(listenAddress)
        return
            "listening ingest=\(host):\(ingestPort) osmand=\(host):\(osmandPort) http=\(bracketed(apiAddress)):\(httpPort)"
    }

    /// Binds the sockets and starts every thread.
    /// - Parameters:
    ///   - config: ports, limits, pipeline tunables.
    ///   - stages: makes the detector stages of one shard (called once per shard).
    ///   - controlPlane: serves `PUT` and `DELETE` on `/fences/{id}` and `/trips/{id}` (moved to the HTTP thread);
    ///     nil: those paths are 404.
    ///   - live: the fences and trips the stages run against, for the state API's trip and tracking lookups.
    ///   - lock: the data directory's lock when the caller took it first (to touch the directory before the
    ///     server starts); nil: the server takes it.
    /// - Throws: ``ServerError`` when the data directory is in use by another server, a socket cannot be bound or
    ///   a file (the alert journal, the checkpoints) opened.
    public static func start(
        _ config: ServerConfig,
        stages: @Sendable (Int) -> [any PipelineStage] = { _ in [] },
        controlPlane: sending (any ControlPlane)? = nil,
        live: LiveControl? = nil,
        lock: DataDirectoryLock? = nil
    ) throws -> Server {
        Signals.ignoreBrokenPipe()
        do {
            let lock = try lock ?? DataDirectoryLock(config.dataDirectory)
            let alertsPath = try prepareAlertsPath(config)
            let sockets = try BoundSockets(config)
            return try Server(
                config: config,
                lock: lock,
                sockets: sockets,
                alertsPath: alertsPath,
                stages: stages,
                controlPlane: controlPlane,
                live: live
            )
        } catch let error as SystemError {
            throw ServerError("\(error)")
        }
    }

    private init(
        config: ServerConfig,
        lock: DataDirectoryLock,
        sockets: BoundSockets,
        alertsPath: String,
        stages: @Sendable (Int) -> [any PipelineStage],
        controlPlane: sending (any ControlPlane)?,
        live: LiveControl?
    ) throws {
        self.config = config
        self.lock = lock
        listenAddress = config.listen
        apiAddress = config.apiHost
        ingestPort = sockets.ingestPort
        osmandPort = sockets.osmandPort
        httpPort = sockets.httpPort
        let producers = 2  // the ingest thread and the HTTP thread
        inboxes = try (0 ..< config.shards).map { _ in
            try ShardInbox(producers: producers, capacity: config.limits.ringCapacity)
        }
        shardStatus = (0 ..< config.shards).map { _ in Published(ShardStatus()) }
        ingestCounters = Published(IngestCounters())
        httpCounters = Published(IngestCounters())
        checkpoints = try CheckpointMailbox(capacity: 65_536)
        let checkpointStore: CheckpointStore
        var restore: CheckpointRestore
        do {
            checkpointStore = try CheckpointStore(dataDirectory: config.dataDirectory)
            restore = try CheckpointRestore(store: checkpointStore, shards: config.shards)
        } catch {
            throw ServerError("cannot read the checkpoints in '\(config.dataDirectory)': \(error)")
        }
        let journal: AlertJournal
        let reader: AlertJournal
        do {
            journal = try AlertJournal(
                dataDirectory: config.dataDirectory,
                durability: config.alertSyncEveryCommit ? .full : .normal
            )
            // An alert file from before the journal existed: its ids are never reused.
            try journal.advance(past: JSONLinesAlertSink.lastID(in: alertsPath))
            exchange = try StateExchange(shards: config.shards)
            alerts = try AlertDispatcher(lastID: try journal.lastID)
            reader = try AlertJournal(dataDirectory: config.dataDirectory, access: .readOnly)
        } catch let error as StoreError {
            throw ServerError("cannot open the alert journal in '\(config.dataDirectory)': \(error)")
        }
        var deadLetters: DeadLetters?
        if config.webhooks.isEmpty {
            webhooks = nil
        } else {
            let alerts = self.alerts
            do {
                let dispatcher = try WebhookDispatcher(
                    dataDirectory: config.dataDirectory,
                    endpoints: config.webhooks,
                    options: WebhookDispatcher.Options(maximumConcurrentRequests: max(16, 2 * config.webhooks.count)),
                    lastCommittedID: { alerts.lastCommittedID }
                )
                alerts.onCommit { dispatcher.wake() }
                webhooks = dispatcher
                deadLetters = try DeadLetters(dataDirectory: config.dataDirectory)
            } catch {
                throw ServerError("cannot start the webhooks: \(error)")
            }
        }
        ingestControl = try ServerControl()
        httpControl = try ServerControl()
        threads = ThreadSet()
        checkpointStatus = Published(CheckpointCounters())
        metrics = ServerMetrics(
            inboxes: inboxes,
            shards: shardStatus,
            ingest: ingestCounters,
            http: httpCounters,
            alerts: alerts,
            webhooks: webhooks,
            checkpoints: checkpointStatus,
            kernelDrops: KernelDrops(socket: sockets.ingestUDP)
        )

        let alerts = self.alerts
        let sink = try JSONLinesAlertSink(path: alertsPath)
        let retention = JournalRetention(maxAge: config.alertRetentionAge, maxBytes: config.alertRetentionBytes)
        try threads.start(.alerts, name: "fs-alerts") {
            alerts.run(journal: journal, retention: retention, sink: sink) { error in
                ServerLog.error("alerts: \(error)")
            }
        }
        // With the event-time clock, restored timers count from each vehicle's own last fix instead.
        let restartedAt = Timestamp(millisecondsSinceEpoch: WallClock.milliseconds())
        let clock: ShardEngine.Clock = config.clock == .event ? .eventTime : .external
        for index in 0 ..< config.shards {
            let engine = ShardEngine(config: config.pipeline, clock: clock, stages: stages(index))
            restore.restore(shard: index, into: engine, now: restartedAt)
            let worker = ShardWorker(
                index: index,
                inbox: inboxes[index],
                engine: engine,
                alerts: alerts,
                status: shardStatus[index],
                exchange: exchange,
                checkpoints: checkpoints,
                checkpointInterval: config.checkpointInterval
            )
            try threads.start(.shard, name: "fs-shard-\(index)") { worker.run() }
        }
        if let firstError = restore.firstError {
            ServerLog.error(
                "checkpoints: skipped \(restore.counters.errors) unreadable vehicle states (first: \(firstError))"
            )
        }
        checkpointStatus.publish(restore.counters)
        let saver = CheckpointSaver(
            mailbox: checkpoints,
            alerts: alerts,
            store: checkpointStore,
            published: checkpointStatus
        )
        try threads.start(.checkpoints, name: "fs-checkpoints") { saver.run() }
        let ingest = try IngestLoop(
            listener: sockets.ingestTCP,
            datagramSocket: sockets.ingestUDP,
            limits: config.limits,
            ports: ShardPorts(producer: 0, inboxes: inboxes),
            control: ingestControl,
            published: ingestCounters
        )
        try threads.start(.io, name: "fs-ingest") { ingest.run() }
        let http = try HTTPLoop(
            osmandListener: sockets.osmandTCP,
            apiListener: sockets.httpTCP,
            limits: config.limits,
            ports: ShardPorts(producer: 1, inboxes: inboxes),
            control: httpControl,
            published: httpCounters,
            metrics: metrics,
            access: APIAccess(readToken: config.readToken, adminToken: config.adminToken),
            controlPlane: controlPlane,
            feeds: AlertFeeds(journal: reader, dispatcher: alerts),
            commits: alerts.commits,
            exchange: exchange,
            doorbells: inboxes.map(\.doorbell),
            live: live,
            deadLetters: deadLetters
        )
        try threads.start(.io, name: "fs-http") { http.run() }
    }

    /// Calls `observer` with every batch of alerts committed to the journal from now on, numbered from the id
    /// given, in id order: for programs that embed the server (`fixstream demo` prints them as they happen).
    /// Called on the alert thread, which waits for it: it must return quickly.
    public func observeAlerts(_ observer: @escaping @Sendable (_ alerts: [Alert], _ firstID: Int64) -> Void) {
        alerts.onCommit(alerts: observer)
    }

    /// The Prometheus text of `/metrics` right now.
    public func metricsText() -> String { metrics.render() }

    /// Counters for programs that drive a server (benchmarks, embedding).
    public struct Statistics: Sendable {
        /// Fixes decoded on every transport.
        public var decoded: Int
        /// Fixes that went through the pipeline stages.
        public var processed: Int
        /// Fixes the pipeline filtered out.
        public var filtered: Int
        /// Input rejected while decoding.
        public var rejected: Int
        /// UDP fixes dropped on full queues.
        public var queueDrops: Int
        /// Datagrams the kernel dropped for the ingest UDP socket (its buffer full).
        public var udpKernelDrops: Int
        /// Fixes whose latency was recorded, and the latency quantiles (bucket upper bounds, ~19 % resolution), s.
        public var latencyCount: Int
        /// Median receive-to-processed latency, seconds.
        public var latencyP50: Double
        /// 99th percentile, seconds.
        public var latencyP99: Double
        /// 99.9th percentile, seconds.
        public var latencyP999: Double
        /// Device connections open now.
        public var openConnections: Int
        /// The pipeline's counters summed over the shards: processed, filtered by reason, alerts by type.
        public var pipeline: PipelineStats
        /// Vehicles restored from checkpoints at start.
        public var checkpointsRestored: Int
        /// Vehicle states saved to checkpoints.
        public var checkpointsSaved: Int
        /// Checkpoints skipped at start as unreadable, and checkpoint saves that failed.
        public var checkpointErrors: Int
    }

    /// The counters as last published by the threads (at most ~100 ms old).
    public func statistics() -> Statistics {
        let snapshot = metrics.snapshot()
        return Statistics(
            decoded: snapshot.decoded.fixes,
            processed: snapshot.pipeline.processed,
            filtered: snapshot.pipeline.rejected,
            rejected: snapshot.decoded.rejected,
            queueDrops: snapshot.ingest.queueDrops + snapshot.http.queueDrops,
            udpKernelDrops: metrics.kernelDrops.read(),
            latencyCount: Int(snapshot.latency.total),
            latencyP50: snapshot.latency.quantile(0.5) / 1e9,
            latencyP99: snapshot.latency.quantile(0.99) / 1e9,
            latencyP999: snapshot.latency.quantile(0.999) / 1e9,
            openConnections: snapshot.ingest.openConnections,
            pipeline: snapshot.pipeline,
            checkpointsRestored: snapshot.checkpoints.restored,
            checkpointsSaved: snapshot.checkpoints.saved,
            checkpointErrors: snapshot.checkpoints.errors
        )
    }

    /// Clears the latency histograms (so a benchmark phase measures only its own fixes). Takes effect within
    /// ~100 ms, when each shard next publishes.
    public func resetLatency() {
        for inbox in inboxes { inbox.requestLatencyReset() }
    }

    /// One line for the operator: decoding, connection rejects, pipeline, alert and checkpoint counters.
    public var summary: String {
        let snapshot = metrics.snapshot()
        let kernelDrops = metrics.kernelDrops.read()
        let rejects = ConnectionReject.allCases.compactMap { reason -> String? in
            let count = snapshot.ingest[reason] + snapshot.http[reason]
            return count > 0 ? "\(reason.name)=\(count)" : nil
        }
        return
            "decode \(snapshot.decoded.summary); connections \(snapshot.ingest.acceptedConnections + snapshot.http.acceptedConnections)"
            + (rejects.isEmpty ? "" : " (rejected " + rejects.joined(separator: " ") + ")")
            + "; pipeline \(snapshot.pipeline.summary); alerts written \(snapshot.alertsWritten)"
            + "; checkpoints restored \(snapshot.checkpoints.restored) saved \(snapshot.checkpoints.saved)"
            + (snapshot.checkpoints.errors > 0 ? " errors \(snapshot.checkpoints.errors)" : "")
            + (kernelDrops > 0 ? "; udp kernel drops \(kernelDrops)" : "")
    }

    /// Stops gracefully: no accepted fix or raised alert is lost. Idempotent; returns when every thread ended.
    public func stop() {
        _ = metrics.kernelDrops.read(fresh: true)  // the last reading while the socket is open
        ingestControl.requestStop()
        httpControl.requestStop()
        threads.join(.io)
        for inbox in inboxes { inbox.close() }
        threads.join(.shard)
        checkpoints.stop()
        threads.join(.checkpoints)
        alerts.stop()
        threads.join(.alerts)
        webhooks?.stop()
        lock.release()
    }

    private static func prepareAlertsPath(_ config: ServerConfig) throws -> String {
        if config.alertsOut == nil {
            if mkdir(config.dataDirectory, 0o755) != 0 && errno != EEXIST {
                throw ServerError(
                    "cannot create data directory '\(config.dataDirectory)': \(String(cString: strerror(errno)))"
                )
            }
        }
        return config.alertsPath
    }
}
