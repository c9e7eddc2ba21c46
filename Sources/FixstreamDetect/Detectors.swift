public import FixstreamGeo
public import FixstreamPipeline
import FixstreamWire

/// The detector stages of one shard, in the order they run, built from one configuration.
public enum Detectors {
    /// Fresh stages for one shard (each shard needs its own: stages keep per-vehicle state).
    /// - Parameters:
    ///   - config: the detectors' tunables.
    ///   - fences: the geofences, shared read-only by every shard; nil or empty runs no geofence stage.
    ///   - trips: the planned trips, shared read-only; nil runs no trip stage (and idle knows no planned stops).
    ///   - tripConfig: the trip follower's tunables.
    public static func stages(
        _ config: DetectorConfig,
        fences: FenceIndex? = nil,
        trips: TripBook? = nil,
        tripConfig: TripConfig = TripConfig()
    ) -> [any PipelineStage] {
        var stages: [any PipelineStage] = []
        if let lostAfter = config.gpsLostAfter { stages.append(GPSLossStage(lostAfter: lostAfter)) }
        if let fences, !fences.fences.isEmpty { stages.append(GeofenceStage(index: fences)) }
        if let trips { stages.append(TripStage(book: trips, config: tripConfig)) }
        if config.idleAfter != nil {
            var atStop: (@Sendable (VehicleID, Double, Double) -> Bool)?
            if let trips {
                atStop = { @Sendable vehicle, latitude, longitude in
                    trips.isAtStop(vehicle, latitude: latitude, longitude: longitude)
                }
            }
            stages.append(IdleStage(config: config, isAtPlannedStop: atStop))
        }
        return stages
    }
}
