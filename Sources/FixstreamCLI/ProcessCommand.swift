import FixstreamDetect
import FixstreamPipeline
import FixstreamWire

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// `fixstream process`: the serve pipeline run offline over trace files, in event time.
public enum ProcessCommand {
    static let usage = """
        Usage: fixstream process [--fixes] [--format auto|nmea|json] [--vehicle ID] TRACE...

        Runs Fixstream's per-vehicle pipeline (filters, ordering, detectors) over recorded traces in event time
        and writes the alerts as JSON lines on stdout; with --fixes, also every accepted fix (the same lines as
        'fixstream decode'), in processing order. Deterministic: the same input gives byte-identical output.
        Several traces are merged by fix time. Ends with one summary line on stderr.

        Options:
          --fixes           also write accepted fixes
          --format F        auto (default), nmea or json
          --vehicle ID      id for fixes whose input carries none (default: the file name without extension)
          --reorder-window S  out-of-order tolerance in seconds (default 5)
          --max-speed M     fastest plausible speed between fixes, m/s (default 70)
          --max-accuracy M  reject fixes whose accuracy is worse, metres (default 100; 0 disables)
          --fences FILE     geofences (GeoJSON FeatureCollection) for geofence.enter/exit/dwell
          --trips FILE      planned trips (JSON) for stops, route deviation and ETA alerts
          --map FILE        road graph ('fixstream map import', or an .osm file imported on the spot):
                            matches every fix to a road; ETAs over the
                            fastest road paths; trips without a route get one from the map
          --eta             also write, after each fix of a vehicle on a trip, its ETA for every stop
          --gps-lost S      gps.lost after S seconds without a fix (default 120; 0 disables)
          --idle-radius M   a halt stays within M metres (default 30)
          --idle-after S    idle.start after S seconds halted (default 120; 0 disables)
          -h, --help        show this help

        Exit status: 0 when all input was read, 1 when a file cannot be read, 2 on bad options or input files.

        """

    /// Runs the command. Returns the exit status.
    public static func run(
        _ arguments: [String],
        stdout: some ByteOutput,
        stderr: some ByteOutput
    ) throws -> Int32 {
        let parsed = try Arguments(
            arguments,
            valued: [
                "format", "vehicle", "reorder-window", "max-speed", "max-accuracy", "gps-lost", "idle-radius",
                "idle-after", "fences", "trips", "map",
            ],
            boolean: ["fixes", "eta"]
        )
        if parsed.wantsHelp {
            try stdout.write(usage)
            return 0
        }
        let format = try Options.format(parsed["format"])
        let vehicle = try Options.vehicle(parsed["vehicle"])
        var config = PipelineConfig()
        config.emitFixes = parsed["fixes"] != nil
        if let text = parsed["reorder-window"] {
            config.reorderWindow = try Options.milliseconds(text, flag: "reorder-window", range: 0 ... 3600)
            config.maxHold = config.reorderWindow
        }
        if let text = parsed["max-speed"] {
            config.maxSpeed = try Options.number(text, flag: "max-speed", range: 1 ... 10_000)
        }
        if let text = parsed["max-accuracy"] {
            let limit = try Options.number(text, flag: "max-accuracy", range: 0 ... 1_000_000)
            config.maxAccuracy = limit == 0 ? nil : Float(limit)
        }
        let detectors = try Options.detectors(parsed.values)
        let fences = try Options.fences(parsed["fences"])
        let trips = try Options.trips(parsed["trips"])
        let roads = try Options.roadMap(parsed["map"])
        guard !parsed.positional.isEmpty else {
            throw CLIError(.usage, "no trace given (see 'fixstream process --help')")
        }
        var readers: [TraceReader] = []
        for path in parsed.positional {
            readers.append(
                try TraceReader(
                    path: path,
                    format: format,
                    vehicle: vehicle ?? DecodeCommand.defaultVehicle(for: path)
                )
            )
        }

        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let reference = Timestamp(millisecondsSinceEpoch: Int64(wall.tv_sec) * 1000 + Int64(wall.tv_nsec) / 1_000_000)
        let stages = Detectors.stages(detectors, fences: fences, trips: trips, roads: roads)
        let etaLines = ETALines()
        if parsed["eta"] != nil {
            for case let tripStage as TripStage in stages {
                tripStage.observer = { vehicle, time, trip, estimates in
                    etaLines.append(vehicle: vehicle, time: time, trip: trip, estimates: estimates)
                }
            }
        }
        let engine = ShardEngine(
            config: config,
            clock: .eventTime,
            stages: stages
        )
        var output = PipelineOutput()
        var sink = AlertLineWriter(output: stdout)
        while let index = try earliest(readers) {
            let fix = try readers[index].peek()!
            readers[index].advance()
            engine.offer(fix, now: reference, into: &output)
            if !output.isEmpty { try sink.write(&output) }
            if !etaLines.bytes.isEmpty { try sink.writeRaw(etaLines.take()) }
        }
        engine.finish(into: &output)
        try sink.write(&output)
        if !etaLines.bytes.isEmpty { try sink.writeRaw(etaLines.take()) }
        try sink.flush()

        var decoded = DecodeStats()
        for reader in readers { decoded.merge(reader.stats) }
        try stderr.write("fixstream process: decode \(decoded.summary); pipeline \(engine.stats.summary)\n")
        return 0
    }

    /// The reader whose next fix is earliest (the first such reader on ties), or nil when all have ended.
    private static func earliest(_ readers: [TraceReader]) throws -> Int? {
        var best: Int?
        var bestTime = Int64.max
        for (index, reader) in readers.enumerated() {
            guard let fix = try reader.peek() else { continue }
            if best == nil || fix.time.millisecondsSinceEpoch < bestTime {
                best = index
                bestTime = fix.time.millisecondsSinceEpoch
            }
        }
        return best
    }
}
