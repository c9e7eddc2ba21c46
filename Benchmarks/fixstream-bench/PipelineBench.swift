import FixstreamPipeline
import FixstreamWire
@preconcurrency import Foundation

/// Fixes of the two real drives fanned out to `vehicles` vehicles and interleaved by time, as a shard sees them.
func pipelineInput(vehicles: Int) throws -> [Fix] {
    var fixes: [Fix] = []
    for name in ["20100403_Z205_Switzerland", "20100411_Geko_Regensburg"] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "Traces/\(name).txt"))
        var decoder = FixDecoder(format: .nmea, vehicle: VehicleID(name))
        data.withUnsafeBytes { decoder.decode($0, into: &fixes) }
        decoder.finish(into: &fixes)
    }
    let swiss = fixes.filter { $0.vehicle.description.contains("Switzerland") }
    var fleet: [Fix] = []
    fleet.reserveCapacity(swiss.count * vehicles / 10)
    // Every vehicle drives a tenth of the drive (about 17 minutes), starting a second apart.
    let slice = swiss.count / 10
    for index in 0 ..< slice {
        for vehicle in 0 ..< vehicles {
            var fix = swiss[(index + vehicle * 7) % swiss.count]
            fix.vehicle = VehicleID("van-\(vehicle)")!
            fix.time = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000 + Int64(index) * 1000 + Int64(vehicle))
            fleet.append(fix)
        }
    }
    return fleet
}

/// Offers every fix to a fresh engine with no stages (filters, ordering, jump check); returns fixes processed.
func runPipeline(_ fixes: [Fix]) -> Int {
    let engine = ShardEngine(config: PipelineConfig(), clock: .external, stages: [])
    var output = PipelineOutput()
    for fix in fixes {
        engine.offer(fix, now: fix.time, into: &output)
    }
    return engine.stats.processed
}
