import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamWire
@preconcurrency import Foundation

/// All detectors on one shard: GPS loss, geofences (10,000 polygons along and around the Swiss drive) and idle,
/// over 1,000 vehicles driving parts of that drive. Returns the alerts raised (so the work cannot be dropped).
func runDetectors(_ fixes: [Fix], fences: FenceIndex) -> Int {
    let engine = ShardEngine(
        config: PipelineConfig(),
        clock: .external,
        stages: Detectors.stages(DetectorConfig(), fences: fences)
    )
    var output = PipelineOutput()
    var alerts = 0
    for fix in fixes {
        engine.offer(fix, now: fix.time, into: &output)
        if !output.alerts.isEmpty {
            alerts += output.alerts.count
            output.removeAll()
        }
    }
    return alerts
}

/// Resident memory per vehicle held by one shard with every detector on, after `vehicles` vehicles sent two fixes
/// each (allocator overhead and fragmentation included: what a vehicle really costs).
func bytesPerVehicle(vehicles: Int, fences: FenceIndex, route: [Fix]) -> Double {
    let residentBefore = residentBytes()
    let engine = ShardEngine(
        config: PipelineConfig(),
        clock: .external,
        stages: Detectors.stages(DetectorConfig(), fences: fences)
    )
    var output = PipelineOutput()
    for round in 0 ..< 2 {
        for vehicle in 0 ..< vehicles {
            var fix = route[(vehicle * 7 + round) % route.count]
            fix.vehicle = VehicleID("vehicle-\(vehicle)")!
            fix.time = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000 + Int64(round) * 1000)
            engine.offer(fix, now: fix.time, into: &output)
            output.removeAll()
        }
    }
    let resident = Double(residentBytes() - residentBefore) / Double(vehicles)
    withExtendedLifetime(engine) {}
    return resident
}

/// Resident set size of this process, bytes (from /proc/self/statm).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}
