import FixstreamPipeline
import FixstreamWire

/// A fix of vehicle `id` at `seconds` after 2026-11-22T10:00:00Z, `metres` north of a point in Regensburg.
func fix(_ id: String = "van-1", at seconds: Double, north metres: Double = 0, accuracy: Float? = nil) -> Fix {
    Fix(
        vehicle: VehicleID(id)!,
        time: ms(seconds),
        latitude: 49.0 + metres / 111_195,
        longitude: 12.1,
        accuracy: accuracy,
        source: .json
    )
}

/// The test epoch plus `seconds`.
func ms(_ seconds: Double) -> Timestamp {
    Timestamp(millisecondsSinceEpoch: 1_795_341_600_000 + Int64((seconds * 1000).rounded()))
}

/// Seconds after the test epoch.
func seconds(_ time: Timestamp) -> Double {
    Double(time.millisecondsSinceEpoch - 1_795_341_600_000) / 1000
}

/// A stage that records what it sees and raises `gps.lost` when a vehicle is silent for `silence` seconds.
final class RecordingStage: PipelineStage {
    var processed: [(vehicle: String, time: Double)] = []
    var late: [Double] = []
    var fired: [(vehicle: String, time: Double)] = []
    let silence: Double

    init(silence: Double = 30) {
        self.silence = silence
    }

    var timerKinds: Int { 1 }

    func process(_ fix: Fix, context: inout StageContext) {
        processed.append((fix.vehicle.description, seconds(fix.time)))
        context.setTimer(0, at: ms(seconds(fix.time) + silence))
    }

    func late(_ fix: Fix, context: inout StageContext) {
        late.append(seconds(fix.time))
    }

    func timerFired(_ kind: Int, context: inout StageContext) {
        fired.append((context.vehicle.description, seconds(context.now)))
        let last = context.lastFix!
        context.emit(
            Alert(
                type: .gpsLost,
                vehicle: context.vehicle,
                time: context.now,
                latitude: last.latitude,
                longitude: last.longitude,
                fields: [AlertField("last_fix", .time(last.time))]
            )
        )
    }
}

/// Offers fixes at wall-clock arrival times to an engine with an external clock.
struct Feed {
    let engine: ShardEngine
    var output = PipelineOutput()

    init(config: PipelineConfig = PipelineConfig(), stages: [any PipelineStage] = []) {
        var config = config
        config.emitFixes = true
        engine = ShardEngine(config: config, clock: .external, stages: stages)
    }

    /// Offers `fix` at arrival time `arrival` (seconds, test epoch).
    mutating func send(_ fix: Fix, arrival: Double) {
        engine.offer(fix, now: ms(arrival), into: &output)
    }

    /// Offers a fix arriving exactly at its own time.
    mutating func send(_ fix: Fix) {
        send(fix, arrival: seconds(fix.time))
    }

    mutating func advance(to arrival: Double) {
        engine.advance(to: ms(arrival), into: &output)
    }

    /// Seconds of the accepted fixes so far.
    var times: [Double] { output.fixes.map { seconds($0.time) } }
}
