import FixstreamGeo
import FixstreamNet
import FixstreamRoads
import FixstreamWire

/// `fixstream match`: offline map matching of one trace with the same online matcher the pipeline runs.
public enum MatchCommand {
    static let usage = """
        Usage: fixstream match --map FILE [--format auto|nmea|json|csv] [--lag K] [--vehicle ID] TRACE

        Matches one trace to the road graph with Fixstream's online matcher and writes one JSON line per fix,
        {"seq","time","lat","lon","matched","way","lat_snapped","lon_snapped","road"}, in trace order, then a
        final line {"route":{"ways":[...],"coordinates":[[lon,lat],...]}} with the OSM ways driven (repeats
        merged) and the geometry of the whole matched path. Ends with one summary line on stderr.

        Options:
          --map FILE     the road graph written by 'fixstream map import' (required), or an OpenStreetMap
                         XML file (.osm), imported on the spot
          --format F     auto (default), nmea, json or csv (a header naming lat, lon and t or time columns;
                         accuracy or hdop columns are used when present)
          --lag K        fixes after which a match is final (default 5; 0: each fix on its own)
          --vehicle ID   the vehicle to match when the trace holds several (NMEA/JSON)
          --radius M     search radius for road candidates, metres (default 50)
          --sigma M      GPS standard deviation for fixes that report no accuracy, metres (default 5)
          -h, --help     show this help

        Exit status: 0 when the trace was read, 1 when a file cannot be read, 2 on bad options.

        """

    /// Runs the command. Returns the exit status.
    public static func run(
        _ arguments: [String],
        stdout: some ByteOutput,
        stderr: some ByteOutput
    ) throws -> Int32 {
        let parsed = try Arguments(arguments, valued: ["map", "format", "lag", "vehicle", "radius", "sigma"])
        if parsed.wantsHelp {
            try stdout.write(usage)
            return 0
        }
        guard let mapPath = parsed["map"] else { throw CLIError(.usage, "match needs --map FILE (see --help)") }
        guard parsed.positional.count == 1, let tracePath = parsed.positional.first else {
            throw CLIError(.usage, "match takes exactly one TRACE (see --help)")
        }
        var config = MatchConfig()
        if let text = parsed["lag"] { config.lag = try Options.integer(text, flag: "lag", range: 0 ... 1000) }
        if let text = parsed["radius"] {
            config.searchRadius = try Options.number(text, flag: "radius", range: 1 ... 1000)
        }
        if let text = parsed["sigma"] { config.sigma = try Options.number(text, flag: "sigma", range: 0.5 ... 500) }
        let graph = try Options.roadMap(mapPath)!
        let trace = try readTrace(
            path: tracePath,
            format: parsed["format"],
            vehicle: try Options.vehicle(parsed["vehicle"])
        )
        let started = MonotonicClock.nanoseconds()
        let matcher = RoadMatcher(graph: graph, config: config)
        var state = MatchState()
        var output = MatchOutput()
        var route = MatchedRoute()
        var writer = MatchLineWriter(points: trace.points, graph: graph)
        var chains = 0
        func take() throws {
            for fix in output.confirmed {
                route.append(fix, path: output.path, graph: graph)
                if fix.startsChain { chains += 1 }
                writer.append(fix)
            }
            try writer.flush(to: stdout, ifOver: 1 << 16)
        }
        for (sequence, point) in trace.points.enumerated() {
            matcher.match(
                sequence: sequence,
                time: Double(point.time.millisecondsSinceEpoch) / 1000,
                latitude: point.latitude,
                longitude: point.longitude,
                accuracy: MatchConfig.accuracy(reported: point.accuracy, hdop: point.hdop),
                state: &state,
                output: &output
            )
            try take()
        }
        matcher.finish(state: &state, output: &output)
        try take()
        writer.appendRoute(route)
        try writer.flush(to: stdout, ifOver: 0)
        let seconds = Double(MonotonicClock.nanoseconds() - started) / 1e9
        let rate = seconds > 0 ? Int(Double(trace.points.count) / seconds) : 0
        try stderr.write(
            "input: \(trace.input)\nmatched \(writer.matched) of \(trace.points.count) fixes "
                + "(\(trace.points.count - writer.matched) unmatched) in \(chains) chain(s); route "
                + "\(Int(route.length.rounded())) m over \(route.ways.count) way(s); \(rate) fixes/s\n"
        )
        return 0
    }

    /// The trace's fixes, in file order.
    private static func readTrace(
        path: String,
        format: String?,
        vehicle: VehicleID?
    ) throws -> (points: [TracePoint], input: String) {
        if format == "csv" || (format == nil && path.lowercased().hasSuffix(".csv")) {
            let csv = try CSVTrace(bytes: InputFile.readAll(path: path), path: path)
            return (csv.points, "\(csv.points.count) fixes; rejected \(csv.skipped) (unreadable_line=\(csv.skipped))")
        }
        let reader = try TraceReader(
            path: path,
            format: try Options.format(format),
            vehicle: vehicle ?? VehicleID("trace")
        )
        var points: [TracePoint] = []
        var vehicles: Set<VehicleID> = []
        while let fix = try reader.peek() {
            reader.advance()
            if let vehicle, fix.vehicle != vehicle { continue }
            vehicles.insert(fix.vehicle)
            points.append(
                TracePoint(
                    time: fix.time,
                    latitude: fix.latitude,
                    longitude: fix.longitude,
                    accuracy: fix.accuracy.map(Double.init),
                    hdop: fix.hdop.map(Double.init)
                )
            )
        }
        if vehicles.count > 1 {
            throw CLIError(
                .usage,
                "'\(path)' holds \(vehicles.count) vehicles; pick one with --vehicle ID (one trace, one vehicle)"
            )
        }
        return (points, reader.stats.summary)
    }
}
