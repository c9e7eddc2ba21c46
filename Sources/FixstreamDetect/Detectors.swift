public import FixstreamGeo
public import FixstreamPipeline

/// The detector stages of one shard, in the order they run, built from one configuration.
public enum Detectors {
    /// Fresh stages for one shard (each shard needs its own: stages keep per-vehicle state).
    /// - Parameters:
    ///   - config: the detectors' tunables.
    ///   - fences: the geofences, shared read-only by every shard; nil or empty runs no geofence stage.
    public static func stages(_ config: DetectorConfig, fences: FenceIndex? = nil) -> [any PipelineStage] {
        var stages: [any PipelineStage] = []
        if let lostAfter = config.gpsLostAfter { stages.append(GPSLossStage(lostAfter: lostAfter)) }
        if let fences, !fences.fences.isEmpty { stages.append(GeofenceStage(index: fences)) }
        if config.idleAfter != nil { stages.append(IdleStage(config: config)) }
        return stages
    }
}
