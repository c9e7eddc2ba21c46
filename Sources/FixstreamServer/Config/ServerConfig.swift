public import FixstreamPipeline

/// Everything `fixstream serve` is configured with (flags or the JSON config file).
public struct ServerConfig: Sendable {
    /// Data directory (SQLite files, road graph, default alert file). Default `./fixstream-data`.
    public var dataDirectory = "./fixstream-data"
    /// Address the three ports bind to. Default loopback; `0.0.0.0` or `::` opens them.
    public var listen = "127.0.0.1"
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
    /// Connection and size limits.
    public var limits = ServerLimits()
    /// Pipeline tunables (filters, reorder window).
    public var pipeline = PipelineConfig()

    /// Defaults; `shards` is the number of cores.
    public init(cores: Int) {
        shards = max(1, cores)
    }

    /// The alert file actually used.
    public var alertsPath: String { alertsOut ?? dataDirectory + "/alerts.jsonl" }
}
