import FixstreamDetect
import FixstreamPipeline
import FixstreamWire
import Foundation

/// A deterministic random generator (SplitMix64) with Gaussian draws, so noisy tests are reproducible.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Normal with mean 0 and standard deviation `sigma` (Box-Muller).
    mutating func gaussian(_ sigma: Double) -> Double {
        let u1 = max(uniform(), 1e-12)
        let u2 = uniform()
        return sigma * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

/// A test epoch: 2026-11-21T10:00:00Z.
let epoch: Int64 = 1_795_255_200_000

/// Builds fixes from positions in metres east/north of a point in Zurich.
struct Track {
    static let originLatitude = 47.3769
    static let originLongitude = 8.5417
    var fixes: [Fix] = []
    let vehicle: VehicleID

    init(_ vehicle: String = "van-1") {
        self.vehicle = VehicleID(vehicle)!
    }

    static func latitude(north: Double) -> Double { originLatitude + north / 111_195 }

    static func longitude(east: Double) -> Double {
        originLongitude + east / (111_195 * cos(originLatitude * .pi / 180))
    }

    /// Appends a fix at `second` (from the test epoch) at `east`, `north` metres, with the receiver's speed.
    mutating func add(_ second: Double, east: Double, north: Double, speed: Float? = nil) {
        fixes.append(
            Fix(
                vehicle: vehicle,
                time: Timestamp(millisecondsSinceEpoch: epoch + Int64((second * 1000).rounded())),
                latitude: Self.latitude(north: north),
                longitude: Self.longitude(east: east),
                speed: speed,
                source: .json
            )
        )
    }
}

/// Runs fixes through an engine with the given stages; each fix arrives at its own time (or `delay` later).
final class Harness {
    let engine: ShardEngine
    var output = PipelineOutput()

    init(_ stages: [any PipelineStage], config: PipelineConfig = PipelineConfig()) {
        engine = ShardEngine(config: config, clock: .external, stages: stages)
    }

    func run(_ fixes: [Fix], delay: Double = 0) {
        for fix in fixes {
            engine.offer(
                fix,
                now: Timestamp(millisecondsSinceEpoch: fix.time.millisecondsSinceEpoch + Int64(delay * 1000)),
                into: &output
            )
        }
    }

    func advance(toSecond second: Double) {
        engine.advance(to: Timestamp(millisecondsSinceEpoch: epoch + Int64(second * 1000)), into: &output)
    }

    var alerts: [Alert] { output.alerts }

    func alerts(_ type: AlertType) -> [Alert] { output.alerts.filter { $0.type == type } }

    /// Seconds after the test epoch of an alert's time.
    static func second(_ alert: Alert) -> Double { Double(alert.time.millisecondsSinceEpoch - epoch) / 1000 }
}

extension Harness {
    /// A restart: a fresh harness running `stages` that resumes every vehicle of this one from its checkpoint,
    /// restored with the shard clock at `second` (after the test epoch).
    func restarted(with stages: [any PipelineStage], atSecond second: Double) throws -> Harness {
        let fresh = Harness(stages)
        let now = Timestamp(millisecondsSinceEpoch: epoch + Int64(second * 1000))
        for (vehicle, blob) in engine.checkpoint(dirtyOnly: false) {
            try fresh.engine.restore(vehicle, blob, now: now)
        }
        return fresh
    }
}
