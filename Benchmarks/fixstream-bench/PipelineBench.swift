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

/// The UDP ingest path without sockets: `input` cut into datagrams of 10 lines, each decoded and ended on its
/// own (the framer and NMEA state reset per datagram); returns the fixes.
func decodeDatagrams(_ datagrams: [[UInt8]]) -> Int {
    var decoder = FixDecoder(format: .auto)
    var fixes: [Fix] = []
    fixes.reserveCapacity(64)
    var total = 0
    for datagram in datagrams {
        datagram.withUnsafeBytes { decoder.decode($0, into: &fixes) }
        decoder.endDatagram(into: &fixes)
        total += fixes.count
        fixes.removeAll(keepingCapacity: true)
    }
    return total
}

/// Cuts JSON lines into datagrams of `lines` lines.
func datagrams(of input: [UInt8], lines: Int) -> [[UInt8]] {
    var result: [[UInt8]] = []
    var start = 0
    var count = 0
    for index in input.indices where input[index] == 0x0A {
        count += 1
        if count == lines {
            result.append(Array(input[start ... index]))
            start = index + 1
            count = 0
        }
    }
    return result
}
