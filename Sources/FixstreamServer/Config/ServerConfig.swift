public import FixstreamDeliver
public import FixstreamPipeline

/// Everything `fixstream serve` is configured with (flags or the JSON config file).
public struct ServerConfig: Sendable {
    /// What the shards' timers (GPS loss, idle, dwell, ETAs, reorder holds) run on.
    public enum Clock: String, Sendable, CaseIterable {
        /// The wall clock: for live devices.
        case wall
        /// Each shard's newest accepted event time: for replaying recorded or simulated fleets faster than real
        /// time. A shard that hears nothing stops its clock (no timer fires), so not for live devices.
        case event
    }

    /// Data directory (SQLite files, road graph, default alert file). Default `./fixstream-data`.
    public var dataDirectory = "./fixstream-data"
    /// Address the ingest ports bind to. Default loopback; `0.0.0.0` or `::` opens them.
    public var listen = "127.0.0.1"
    /// Address the API port binds to; nil: the same as `listen`. Without tokens it must be a loopback address.
    public var httpListen: String?
    /// Bearer token for reading the API (feeds, state); nil: none.
    public var readToken: String?
    /// Bearer token for the whole API, writes included (fences, trips); nil: none.
    public var adminToken: String?
    /// Device lines, TCP and UDP. Default 5005; 0 picks a free port.
    public var ingestPort: UInt16 = 5005
    /// OsmAnd HTTP ingest. Default 5055; 0 picks a free port.
    public var osmandPort: UInt16 = 5055
    /// HTTP API: metrics, health. Default 8080; 0 picks a free port.
    public var httpPort: UInt16 = 8080
    /// Shard threads. Default: one per core.
    public var shards: Int
    /// Where alerts are written as JSON lines: a path, `-` for stdout, nil for `<data>/alerts.jsonl`.
    public var alertsOut: String?
    /// Journaled alerts older than this are removed, milliseconds; nil keeps them. Default 7 days.
    public var alertRetentionAge: Int64? = 7 * 86_400_000
    /// The journal is kept under this many bytes by removing the oldest alerts; nil: no cap. Default 4 GiB.
    public var alertRetentionBytes: Int? = 4 << 30
    /// Sync the journal at every commit (survives power loss, costs an fsync per batch). Default off: a
    /// committed alert survives the process dying, not necessarily the machine losing power.
    public var alertSyncEveryCommit = false
    /// Webhook endpoints the alerts are POSTed to (the config file's `webhooks`).
    public var webhooks: [WebhookEndpoint] = []
    /// How often each shard saves the state of the vehicles that changed since, milliseconds; 0 saves only on a
    /// graceful stop. Default 60 s. A restart resumes every vehicle from its latest save.
    public var checkpointInterval: Int64 = 60_000
    /// The shards' clock. Default wall time; fixes from the future are judged against wall time either way.
    public var clock = Clock.wall
    /// Connection and size limits.
    public var limits = ServerLimits()
    /// Pipeline tunables (filters, reorder window).
    public var pipeline = PipelineConfig()

    /// Defaults; `shards` is the number of cores.
    public init(cores: Int) {
        shards = max(1, cores)
    }

    /// The address the API port binds to.
    public var apiHost: String { httpListen ?? listen }

    /// Whether any API token is configured. Without one the API is open, so it may listen on loopback only.
    public var hasTokens: Bool { readToken != nil || adminToken != nil }

    /// The alert file actually used.
    public var alertsPath: String { alertsOut ?? dataDirectory + "/alerts.jsonl" }
}
