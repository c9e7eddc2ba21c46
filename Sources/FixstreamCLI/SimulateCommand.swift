import FixstreamRoads
import FixstreamSim
import FixstreamWire

/// `fixstream simulate`: a delivery fleet with known truth, as files the other commands read.
public enum SimulateCommand {
    static let usage = """
        Usage: fixstream simulate (--map FILE | --grid ROWSxCOLUMNS) --vehicles N --duration D --out DIR
                                  [--seed S] [--rate HZ] [--start TIME] [--noise M]
                                  [--multipath P]

        Simulates a delivery fleet on a road graph: each vehicle loads at a central depot, drives its trip of
        customer stops along shortest paths (road speeds with per-driver variation, acceleration, turns, red
        lights and slow stretches), serves each stop, goes home and switches its tracker off. By seeded chance
        drivers halt unscheduled, take detours and skip stops, and trackers add GPS noise, multipath jumps,
        dropouts, network outages (fixes sent late in a burst), duplicates and out-of-order and late delivery.
        The same options give the same files, byte for byte.

        Writes into DIR:
          fixes.jsonl     native JSON fix lines of the whole fleet, in the order they are delivered
          trips.json      one trip per vehicle (depot, customers with windows, planned route), for --trips
          fences.geojson  the depot and every customer site as circles, for --fences
          truth.jsonl     what really happened: stops served and skipped, halts, detours, fence visits and
                          silences, for 'fixstream score'

        Options:
          --map FILE       a road graph written by 'fixstream map import', or an OpenStreetMap XML file (.osm)
          --grid RxC       instead of a map, a synthetic grid city of R by C streets 150 m apart
          --vehicles N     fleet size (default 10)
          --duration D     span simulated: seconds, or with a unit: 90m, 8h, 1d (default 1h)
          --seed S         seed of every random choice (default 1)
          --rate HZ        fixes per second per vehicle (default 1)
          --start TIME     RFC 3339 start (default 2026-06-01T06:00:00Z)
          --noise M        GPS noise, standard deviation per axis in metres (default 5)
          --multipath P    chance a fix starts a multipath burst of 1 to 3 fixes 50 to 200 m off (default
                           0.002; 0 for none)
          --out DIR        output directory, created if missing (required)
          -h, --help       show this help

        Exit status: 0 on success, 1 when a file cannot be read or written, 2 on bad options or a map too small
        for the fleet's sites.

        """

    /// Runs the command. Returns the exit status.
    public static func run(
        _ arguments: [String],
        stdout: some ByteOutput,
        stderr: some ByteOutput
    ) throws -> Int32 {
        let parsed = try Arguments(
            arguments,
            valued: ["map", "grid", "vehicles", "duration", "seed", "rate", "start", "noise", "multipath", "out"]
        )
        if parsed.wantsHelp {
            try stdout.write(usage)
            return 0
        }
        if let extra = parsed.positional.first { throw CLIError(.usage, "simulate: unexpected argument '\(extra)'") }
        guard let directory = parsed["out"] else { throw CLIError(.usage, "simulate needs --out DIR (see --help)") }
        var config = SimulationConfig()
        config.duration = 3_600_000
        if let text = parsed["vehicles"] {
            config.vehicles = try Options.integer(text, flag: "vehicles", range: 1 ... 1_000_000)
        }
        if let text = parsed["duration"] { config.duration = try SimulateCommandDurations.parse(text) }
        if let text = parsed["seed"] {
            guard let seed = UInt64(text) else { throw CLIError(.usage, "invalid --seed '\(text)': a whole number") }
            config.seed = seed
        }
        if let text = parsed["rate"] { config.rate = try Options.number(text, flag: "rate", range: 0.01 ... 10) }
        if let text = parsed["noise"] { config.noise = try Options.number(text, flag: "noise", range: 0 ... 100) }
        if let text = parsed["multipath"] {
            config.multipathChance = try Options.number(text, flag: "multipath", range: 0 ... 1)
        }
        if let text = parsed["start"] {
            var copy = text
            guard
                let start = copy.withUTF8({ TimestampParser.rfc3339(UnsafeRawBufferPointer($0)) })
            else { throw CLIError(.usage, "invalid --start '\(text)': an RFC 3339 time") }
            config.start = start.millisecondsSinceEpoch
        }
        let graph: RoadGraph
        switch (parsed["map"], parsed["grid"]) {
        case (let path?, nil):
            graph = try Options.roadMap(path)!
        case (nil, let text?):
            let parts = text.split(separator: "x")
            guard parts.count == 2, let rows = Int(parts[0]), let columns = Int(parts[1]), (2 ... 200).contains(rows),
                (2 ... 200).contains(columns)
            else { throw CLIError(.usage, "invalid --grid '\(text)': ROWSxCOLUMNS, each 2 to 200") }
            graph = GridCity.build(rows: rows, columns: columns)
        default:
            throw CLIError(.usage, "simulate needs one of --map FILE or --grid RxC (see --help)")
        }

        let simulation: FleetSimulation
        do {
            simulation = try FleetSimulation(graph: graph, config: config)
        } catch {
            throw CLIError(.usage, "simulate: \(error.message)")
        }
        try write(simulation, to: directory)
        let summary = simulation.summary
        try stderr.write(
            "fixstream simulate: \(summary.vehicles) vehicles, \(summary.fixes) fixes; "
                + "\(simulation.customerSites) customer sites; stops \(summary.stopsServed) served, "
                + "\(summary.stopsSkipped) skipped of \(summary.stopsPlanned) planned; \(summary.halts) halts, "
                + "\(summary.detours) off-route stretches, \(summary.visits) fence visits, "
                + "\(summary.outages) silences of 20 s or more\n"
        )
        return 0
    }
}

extension SimulateCommand {
    /// Runs `simulation` and writes its files into `directory` (created if missing): `trips.json`,
    /// `fences.geojson`, `fixes.jsonl` and `truth.jsonl`.
    /// - Throws: ``CLIError`` (`io`) when a file cannot be written.
    static func write(_ simulation: FleetSimulation, to directory: String) throws {
        try OutputFile.makeDirectory(directory)
        try OutputFile.write(simulation.tripsDocument(), to: directory + "/trips.json")
        try OutputFile.write(simulation.fencesDocument(), to: directory + "/fences.geojson")
        let fixes = try OutputFile(path: directory + "/fixes.jsonl")
        try simulation.run { try fixes.write($0) }
        try fixes.close()
        try OutputFile.write(simulation.truthDocument(), to: directory + "/truth.jsonl")
    }
}

/// `--duration` values.
public enum SimulateCommandDurations {
    /// `3600`, `90s`, `90m`, `1.5h`, `1d` in milliseconds.
    /// - Throws: ``CLIError`` naming the flag.
    public static func parse(_ text: String) throws -> Int64 {
        var number = Substring(text)
        var unit = 1.0
        switch text.last {
        case "s": unit = 1
        case "m": unit = 60
        case "h": unit = 3600
        case "d": unit = 86_400
        default: break
        }
        if text.last?.isLetter == true { number = number.dropLast() }
        guard let value = Double(number), value.isFinite, value > 0, value * unit <= 7 * 86_400 else {
            throw CLIError(.usage, "invalid --duration '\(text)': seconds or a number with s, m, h or d, up to 7d")
        }
        return Int64((value * unit * 1000).rounded())
    }
}
