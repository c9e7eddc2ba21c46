import FixstreamDeliver
import FixstreamPipeline
import FixstreamWire

/// Renders the Prometheus text exposition of `/metrics` from what the threads published.
final class ServerMetrics: Sendable {
    private let inboxes: [ShardInbox]
    private let shards: [Published<ShardStatus>]
    private let ingest: Published<IngestCounters>
    private let http: Published<IngestCounters>
    private let alerts: AlertDispatcher
    private let webhooks: WebhookDispatcher?
    private let checkpoints: Published<CheckpointCounters>
    let kernelDrops: KernelDrops

    /// Upper bounds of the exported latency buckets, seconds.
    static let latencyBuckets: [Double] = [
        0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    ]

    init(
        inboxes: [ShardInbox],
        shards: [Published<ShardStatus>],
        ingest: Published<IngestCounters>,
        http: Published<IngestCounters>,
        alerts: AlertDispatcher,
        webhooks: WebhookDispatcher?,
        checkpoints: Published<CheckpointCounters>,
        kernelDrops: KernelDrops
    ) {
        self.inboxes = inboxes
        self.shards = shards
        self.ingest = ingest
        self.http = http
        self.alerts = alerts
        self.webhooks = webhooks
        self.checkpoints = checkpoints
        self.kernelDrops = kernelDrops
    }

    /// A consistent-enough snapshot: each thread's latest publication (at most ~100 ms old).
    struct Snapshot {
        var ingest: IngestCounters
        var http: IngestCounters
        var pipeline = PipelineStats()
        var latency = LatencyHistogram()
        var depths: [Int]
        var alerts: AlertDispatcher.Counters
        var checkpoints: CheckpointCounters

        /// Alerts committed to the journal.
        var alertsWritten: Int64 { alerts.written }

        /// Decoder counters of every transport together.
        var decoded: DecodeStats {
            var total = ingest.tcp
            total.merge(ingest.udp)
            total.merge(http.http)
            return total
        }
    }

    func snapshot() -> Snapshot {
        var snapshot = Snapshot(
            ingest: ingest.read(),
            http: http.read(),
            depths: inboxes.map(\.depth),
            alerts: alerts.counters,
            checkpoints: checkpoints.read()
        )
        for shard in shards {
            let status = shard.read()
            snapshot.pipeline.merge(status.pipeline)
            snapshot.latency.merge(status.latency)
        }
        return snapshot
    }

    /// The exposition text.
    func render() -> String {
        let s = snapshot()
        var out = MetricsText()
        out.family(
            "fixstream_lines_received_total",
            "counter",
            "Records received (lines, JSON objects, HTTP requests)."
        )
        out.sample("fixstream_lines_received_total", ["transport": "tcp"], s.ingest.tcp.records)
        out.sample("fixstream_lines_received_total", ["transport": "udp"], s.ingest.udp.records)
        out.sample("fixstream_lines_received_total", ["transport": "http"], s.http.httpRequests)
        out.family("fixstream_datagrams_received_total", "counter", "UDP datagrams received.")
        out.sample("fixstream_datagrams_received_total", [:], s.ingest.udpDatagrams)

        out.family("fixstream_fixes_decoded_total", "counter", "Fixes decoded, by wire format.")
        for source in FixSource.allCases {
            let count = s.ingest.fixesBySource[Int(source.rawValue)] + s.http.fixesBySource[Int(source.rawValue)]
            out.sample("fixstream_fixes_decoded_total", ["format": source.name], count)
        }

        out.family(
            "fixstream_fixes_rejected_total",
            "counter",
            "Input refused by reason: decoding (bad checksum, malformed, invalid fix...) and pipeline filters."
        )
        let decoded = s.decoded
        for reason in RejectReason.allCases {
            out.sample("fixstream_fixes_rejected_total", ["reason": reason.name], decoded[reason])
        }
        for reason in FilterReason.allCases {
            out.sample("fixstream_fixes_rejected_total", ["reason": reason.name], s.pipeline[reason])
        }
        out.family("fixstream_input_ignored_total", "counter", "Input understood and deliberately not used.")
        for kind in IgnoredKind.allCases {
            out.sample("fixstream_input_ignored_total", ["kind": kind.name], decoded[kind])
        }

        out.family("fixstream_fixes_processed_total", "counter", "Fixes that went through the pipeline stages.")
        out.sample("fixstream_fixes_processed_total", [:], s.pipeline.processed)
        out.family("fixstream_fixes_reordered_total", "counter", "Out-of-order fixes put back in order.")
        out.sample("fixstream_fixes_reordered_total", [:], s.pipeline.reordered)
        out.family("fixstream_map_fixes_total", "counter", "Fixes map-matched (with --map), by result.")
        out.sample("fixstream_map_fixes_total", ["result": "matched"], s.pipeline.map.matched)
        out.sample("fixstream_map_fixes_total", ["result": "unmatched"], s.pipeline.map.unmatched)
        out.family("fixstream_route_searches_total", "counter", "Fastest-path searches for trip ETAs and routes.")
        out.sample("fixstream_route_searches_total", [:], s.pipeline.map.routeSearches)
        out.family(
            "fixstream_eta_fallbacks_total",
            "counter",
            "Trip ETAs (with --map) with a leg estimated in a straight line for want of a road path."
        )
        out.sample("fixstream_eta_fallbacks_total", [:], s.pipeline.map.etaFallbacks)

        out.family("fixstream_alerts_total", "counter", "Alerts raised, by type.")
        for type in AlertType.allCases {
            out.sample("fixstream_alerts_total", ["type": type.name], s.pipeline[type])
        }
        out.family("fixstream_alerts_written_total", "counter", "Alerts committed to the journal (then to the sinks).")
        out.sample("fixstream_alerts_written_total", [:], Int(s.alertsWritten))
        out.family("fixstream_journal_last_id", "gauge", "The newest alert id in the journal.")
        out.sample("fixstream_journal_last_id", [:], Int(s.alerts.lastID))
        out.family("fixstream_journal_errors_total", "counter", "Journal appends that failed (the batch is retried).")
        out.sample("fixstream_journal_errors_total", [:], Int(s.alerts.journalErrors))
        out.family("fixstream_alerts_dropped_total", "counter", "Alerts lost because the journal failed too long.")
        out.sample("fixstream_alerts_dropped_total", [:], Int(s.alerts.dropped))
        out.family("fixstream_journal_pruned_total", "counter", "Alerts removed from the journal by retention.")
        out.sample("fixstream_journal_pruned_total", [:], Int(s.alerts.pruned))
        out.family("fixstream_journal_bytes", "gauge", "Bytes of journal pages in use.")
        out.sample("fixstream_journal_bytes", [:], Int(s.alerts.journalBytes))

        out.family("fixstream_checkpoint_vehicles_total", "counter", "Vehicle states saved to checkpoints.")
        out.sample("fixstream_checkpoint_vehicles_total", [:], s.checkpoints.saved)
        out.family("fixstream_checkpoint_restored", "gauge", "Vehicles restored from checkpoints at start.")
        out.sample("fixstream_checkpoint_restored", [:], s.checkpoints.restored)
        out.family(
            "fixstream_checkpoint_errors_total",
            "counter",
            "Checkpoints skipped at start as unreadable, and checkpoint saves that failed (each retried)."
        )
        out.sample("fixstream_checkpoint_errors_total", [:], s.checkpoints.errors)

        out.family("fixstream_queue_depth", "gauge", "Fixes waiting in a shard's queues.")
        for (shard, depth) in s.depths.enumerated() {
            out.sample("fixstream_queue_depth", ["shard": String(shard)], depth)
        }
        out.family("fixstream_queue_drops_total", "counter", "UDP fixes dropped because their shard's queue was full.")
        out.sample("fixstream_queue_drops_total", [:], s.ingest.queueDrops + s.http.queueDrops)
        out.family(
            "fixstream_udp_kernel_drops_total",
            "counter",
            "Datagrams the kernel dropped for the ingest UDP socket: its buffer was full (the server behind, or "
                + "holding datagrams back while the shard queues were full)."
        )
        out.sample("fixstream_udp_kernel_drops_total", [:], kernelDrops.read())

        out.family("fixstream_connections", "gauge", "Open connections, by port.")
        out.sample("fixstream_connections", ["port": "ingest"], s.ingest.openConnections)
        out.sample("fixstream_connections", ["port": "http"], s.http.openConnections)
        out.family("fixstream_connections_accepted_total", "counter", "Connections accepted, by port.")
        out.sample("fixstream_connections_accepted_total", ["port": "ingest"], s.ingest.acceptedConnections)
        out.sample("fixstream_connections_accepted_total", ["port": "http"], s.http.acceptedConnections)
        out.family(
            "fixstream_connections_rejected_total",
            "counter",
            "Connections, datagrams and requests refused or cut, by reason."
        )
        for reason in ConnectionReject.allCases {
            out.sample(
                "fixstream_connections_rejected_total",
                ["reason": reason.name],
                s.ingest[reason] + s.http[reason]
            )
        }

        out.family("fixstream_api_responses_total", "counter", "Responses on the API port, by status code.")
        for (code, count) in s.http.apiResponses.sorted(by: { $0.key < $1.key }) {
            out.sample("fixstream_api_responses_total", ["code": String(code)], count)
        }

        if let webhooks {
            let endpoints = webhooks.metrics
            let families: [(String, String, String, (WebhookEndpointMetrics) -> Int64)] = [
                (
                    "fixstream_webhook_delivered_total", "counter", "Alerts delivered (2xx), by endpoint.",
                    { $0.delivered }
                ),
                ("fixstream_webhook_retried_total", "counter", "Failed attempts retried, by endpoint.", { $0.retried }),
                (
                    "fixstream_webhook_dead_lettered_total", "counter",
                    "Batches given up on (dead letters), by endpoint.",
                    { $0.deadLettered }
                ),
                ("fixstream_webhook_lag", "gauge", "Alerts committed but not yet delivered, by endpoint.", { $0.lag }),
            ]
            for (name, type, help, value) in families {
                out.family(name, type, help)
                for endpoint in endpoints { out.sample(name, ["endpoint": endpoint.name], Int(value(endpoint))) }
            }
        }

        out.family("fixstream_vehicles", "gauge", "Vehicles known to the shards.")
        out.sample("fixstream_vehicles", [:], s.pipeline.vehicles)

        out.family(
            "fixstream_fix_latency_seconds",
            "histogram",
            "From receiving a fix's bytes to the pipeline done with it."
        )
        for bound in Self.latencyBuckets {
            out.sample(
                "fixstream_fix_latency_seconds_bucket",
                ["le": MetricsText.number(bound)],
                Int(s.latency.count(atMost: bound))
            )
        }
        out.sample("fixstream_fix_latency_seconds_bucket", ["le": "+Inf"], Int(s.latency.total))
        out.line("fixstream_fix_latency_seconds_sum " + MetricsText.number(Double(s.latency.sumNanoseconds) / 1e9))
        out.sample("fixstream_fix_latency_seconds_count", [:], Int(s.latency.total))
        return out.text
    }
}
