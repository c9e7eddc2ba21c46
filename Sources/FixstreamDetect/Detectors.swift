public import FixstreamPipeline

/// The detector stages of one shard, in the order they run, built from one configuration.
public enum Detectors {
    /// Fresh stages for one shard (each shard needs its own: stages keep per-vehicle state).
    public static func stages(_ config: DetectorConfig) -> [any PipelineStage] {
        var stages: [any PipelineStage] = []
        if let lostAfter = config.gpsLostAfter { stages.append(GPSLossStage(lostAfter: lostAfter)) }
        if config.idleAfter != nil { stages.append(IdleStage(config: config)) }
        return stages
    }
}
