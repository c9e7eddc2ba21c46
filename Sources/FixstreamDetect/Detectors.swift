public import FixstreamGeo
public import FixstreamPipeline
public import FixstreamRoads
import FixstreamWire

/// The detector stages of one shard, in the order they run, built from one configuration.
public enum Detectors {
    /// Fresh stages for one shard (each shard needs its own: stages keep per-vehicle state).
    /// - Parameters:
    ///   - config: the detectors' tunables.
    ///   - fences: the geofences, shared read-only by every shard; nil or empty runs no geofence stage.
    ///   - trips: the planned trips, shared read-only; nil runs no trip stage (and idle knows no planned stops).
    ///   - tripConfig: the trip follower's tunables.
    ///   - roads: a road map, shared read-only by every shard: runs the map-matching stage first and gives the trip
    ///     stage road ETAs and routes for trips planned without one.
    public static func stages(
        _ config: DetectorConfig,
        fences: FenceIndex? = nil,
        trips: TripBook? = nil,
        tripConfig: TripConfig = TripConfig(),
        roads: RoadGraph? = nil
    ) -> [any PipelineStage] {
        let control = LiveControl(fences: fences ?? FenceIndex([]), trips: trips ?? TripBook([]))
        return stages(
            config,
            control: control,
            geofences: fences.map { !$0.fences.isEmpty } ?? false,
            trips: trips != nil,
            tripConfig: tripConfig,
            roads: roads
        )
    }

    /// Fresh stages for one shard of a server whose fences and trips change while it runs: the geofence and trip
    /// stages always run (with none, they cost a lookup per fix) and follow `control`'s replacements; with
    /// `roads`, the map-matching stage runs first (one matcher per shard, over the shared map).
    public static func stages(
        _ config: DetectorConfig,
        live control: LiveControl,
        tripConfig: TripConfig = TripConfig(),
        roads: RoadGraph? = nil
    ) -> [any PipelineStage] {
        stages(config, control: control, geofences: true, trips: true, tripConfig: tripConfig, roads: roads)
    }

    private static func stages(
        _ config: DetectorConfig,
        control: LiveControl,
        geofences: Bool,
        trips: Bool,
        tripConfig: TripConfig,
        roads: RoadGraph?
    ) -> [any PipelineStage] {
        var stages: [any PipelineStage] = []
        // Map matching comes first: the stages after it see each fix's road.
        if let roads { stages.append(RoadMatchStage(graph: roads)) }
        if let lostAfter = config.gpsLostAfter { stages.append(GPSLossStage(lostAfter: lostAfter)) }
        if geofences { stages.append(GeofenceStage(control: control)) }
        if trips { stages.append(TripStage(control: control, config: tripConfig, roads: roads)) }
        if config.idleAfter != nil {
            var atStop: (@Sendable (VehicleID, Double, Double) -> Bool)?
            if trips {
                atStop = { @Sendable vehicle, latitude, longitude in
                    control.snapshot.trips.isAtStop(vehicle, latitude: latitude, longitude: longitude)
                }
            }
            stages.append(IdleStage(config: config, isAtPlannedStop: atStop))
        }
        return stages
    }
}
