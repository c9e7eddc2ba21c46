import FixstreamPipeline

/// What a shard publishes for metrics: pipeline counters and its fix latency histogram.
struct ShardStatus: Sendable {
    var pipeline = PipelineStats()
    var latency = LatencyHistogram()
}
