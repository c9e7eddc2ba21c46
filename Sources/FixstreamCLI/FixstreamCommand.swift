/// The `fixstream` command line: dispatches subcommands and turns errors into one-line messages and exit codes.
public enum FixstreamCommand {
    static let version = "0.1.0"

    static let usage = """
        Usage: fixstream <command> [options]

        Fixstream turns streams of GPS positions from delivery vehicles into timely, trustworthy alerts.

        Commands:
          demo       see it work: a simulated fleet replayed into a server, alerts printed (fixstream demo --help)
          decode     decode NMEA 0183 and JSON positions into JSON lines (fixstream decode --help)
          serve      run the server: device ingest, OsmAnd, pipeline, alerts, metrics (fixstream serve --help)
          replay     send recorded traces to a server, paced or at full speed (fixstream replay --help)
          process    run the pipeline offline over recorded traces, alerts out (fixstream process --help)
          map        build the road graph from an OpenStreetMap extract (fixstream map --help)
          match      match one trace to the road graph, per fix and as a route (fixstream match --help)
          simulate   simulate a delivery fleet with known truth (fixstream simulate --help)
          score      score alerts against a simulation's truth (fixstream score --help)
          fences     import, list and delete the stored geofences (fixstream fences --help)
          trips      import, list and delete the stored trips (fixstream trips --help)
          version    print the version
          help       show this help

        """

    /// Runs the command line. Returns the process exit status.
    public static func main(
        _ arguments: [String],
        stdout: some ByteOutput,
        stderr: some ByteOutput
    ) -> Int32 {
        do {
            guard let command = arguments.first else {
                try stderr.write(usage)
                return 2
            }
            let rest = Array(arguments.dropFirst())
            switch command {
            case "demo":
                return try DemoCommand.run(rest, stdout: stdout, stderr: stderr)
            case "decode":
                return try DecodeCommand.run(rest, stdout: stdout, stderr: stderr)
            case "serve":
                return try ServeCommand.run(rest, stdout: stdout, stderr: stderr)
            case "replay":
                return try ReplayCommand.run(rest, stdout: stdout, stderr: stderr)
            case "process":
                return try ProcessCommand.run(rest, stdout: stdout, stderr: stderr)
            case "map":
                return try MapCommand.run(rest, stdout: stdout, stderr: stderr)
            case "match":
                return try MatchCommand.run(rest, stdout: stdout, stderr: stderr)
            case "simulate":
                return try SimulateCommand.run(rest, stdout: stdout, stderr: stderr)
            case "score":
                return try ScoreCommand.run(rest, stdout: stdout, stderr: stderr)
            case "fences":
                return try FencesCommand.run(rest, stdout: stdout, stderr: stderr)
            case "trips":
                return try TripsCommand.run(rest, stdout: stdout, stderr: stderr)
            case "version", "--version":
                try stdout.write("fixstream \(version)\n")
                return 0
            case "help", "--help", "-h":
                try stdout.write(usage)
                return 0
            default:
                throw CLIError(.usage, "unknown command '\(command)' (see 'fixstream help')")
            }
        } catch let error as CLIError {
            try? stderr.write("fixstream: \(error.message)\n")
            return error.code.exitStatus
        } catch {
            try? stderr.write("fixstream: \(error)\n")
            return 1
        }
    }
}
