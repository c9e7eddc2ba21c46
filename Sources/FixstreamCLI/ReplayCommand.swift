import FixstreamLoad
import FixstreamWire

/// `fixstream replay`: recorded traces to a running server, for demos and load tests.
public enum ReplayCommand {
    static let usage = """
        Usage: fixstream replay TRACE... --to tcp://HOST:PORT|udp://HOST:PORT|http://HOST:PORT [options]

        Sends recorded traces (NMEA or JSON, as 'fixstream decode' reads them) to a Fixstream server: as native JSON
        lines over TCP or UDP, or as OsmAnd requests over HTTP. Paces by the fixes' timestamps times --speed.
        Event times are moved to end at the current time (at --speed 1 they are live), because servers judge
        freshness and recorded traces are old; with --as-recorded they are kept. Progress goes to stderr every
        second; the last line on stdout says what was sent, in how long, at what rate.

        Options:
          --to URL            where to send (required)
          --speed X|max       playback speed (default 1; max sends as fast as possible)
          --vehicles N        fan the traces out to N vehicles: distinct ids, staggered starts, small offsets
                              (default: one per vehicle in the traces)
          --rate R            at most R fixes per second in total
          --duration T        stop after T seconds, looping the traces (back and forth) if needed
          --connections C     TCP connections, UDP sockets or HTTP connections to use (default 1)
          --format F          how to read the traces: auto (default), nmea or json
          --vehicle ID        id for trace lines that carry none (default: the file name)
          --as-recorded       keep the fixes' own times and the order of the files (a simulated fleet's late and
                              backlogged fixes arrive late, as delivered), paced by the newest time so far; for
                              fleets whose trips and truth are in those times (serve with --clock event). Not
                              with --vehicles; --duration only cuts the replay short
          -h, --help          show this help

        """

    /// Runs the command. Returns the exit status.
    public static func run(
        _ arguments: [String],
        stdout: some ByteOutput,
        stderr: some ByteOutput
    ) throws -> Int32 {
        let parsed = try Arguments(
            arguments,
            valued: ["to", "speed", "vehicles", "rate", "duration", "connections", "format", "vehicle"],
            boolean: ["as-recorded"]
        )
        if parsed.wantsHelp {
            try stdout.write(usage)
            return 0
        }
        guard let to = parsed["to"] else { throw CLIError(.usage, "--to is required (see 'fixstream replay --help')") }
        guard let target = ReplayTarget(to) else {
            throw CLIError(.usage, "invalid --to '\(to)': tcp://HOST:PORT, udp://HOST:PORT or http://HOST:PORT")
        }
        guard !parsed.positional.isEmpty else {
            throw CLIError(.usage, "no trace given (see 'fixstream replay --help')")
        }
        let asRecorded = parsed["as-recorded"] != nil
        if asRecorded && parsed["vehicles"] != nil {
            throw CLIError(.usage, "--as-recorded replays the vehicles of the traces as they are: no --vehicles")
        }
        var options = ReplayOptions()
        if let speed = parsed["speed"] {
            options.speed = speed == "max" ? nil : try Options.number(speed, flag: "speed", range: 0.001 ... 1_000_000)
        }
        if let rate = parsed["rate"] { options.rate = try Options.number(rate, flag: "rate", range: 1 ... 100_000_000) }
        if let duration = parsed["duration"] {
            options.duration = try Options.number(duration, flag: "duration", range: 0.1 ... 30 * 86_400)
        }
        if let connections = parsed["connections"] {
            options.connections = try Options.integer(connections, flag: "connections", range: 1 ... 100_000)
        }
        let format = try Options.format(parsed["format"])
        let vehicle = try Options.vehicle(parsed["vehicle"])

        var fixes: [Fix] = []
        var decoded = DecodeStats()
        for path in parsed.positional {
            let reader = try TraceReader(
                path: path,
                format: format,
                vehicle: vehicle ?? DecodeCommand.defaultVehicle(for: path)
            )
            while let fix = try reader.peek() {
                fixes.append(fix)
                reader.advance()
            }
            decoded.merge(reader.stats)
        }
        let traces = Replayer.traces(from: fixes)
        guard !traces.isEmpty else { throw CLIError(.io, "no fixes in the traces (decode: \(decoded.summary))") }
        options.vehicles =
            try parsed["vehicles"].map { try Options.integer($0, flag: "vehicles", range: 1 ... 10_000_000) }
            ?? traces.count

        let replayer =
            asRecorded
            ? Replayer(recorded: fixes, options: options, target: target)
            : Replayer(traces: traces, options: options, target: target)
        let result: ReplayResult
        do {
            result = try replayer.run { progress in
                try? stderr.write(
                    "replay: \(progress.sent) fixes sent, \(Int(progress.rate)) fixes/s, \(String(format1: progress.seconds)) s\n"
                )
            }
        } catch {
            throw CLIError(.io, "cannot replay to \(target): \(error)")
        }
        var line = "replay: sent \(result.sent) fixes (\(result.bytes) bytes) in \(String(format1: result.seconds)) s, "
        line +=
            "\(Int(result.rate)) fixes/s, \(options.vehicles) vehicles over \(options.connections) \(target.scheme) "
        line += options.connections == 1 ? "connection" : "connections"
        if !result.statuses.isEmpty {
            line +=
                "; answers "
                + result.statuses.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: " ")
        }
        if result.errors > 0 { line += "; \(result.errors) unanswered" }
        try stdout.write(line + "\n")
        return 0
    }
}

extension String {
    /// A number with one decimal, without Foundation.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
