import FixstreamEval
import FixstreamJSON

#if canImport(Glibc)
    import Glibc
#endif

/// `fixstream score`: alerts against a simulation's truth.
public enum ScoreCommand {
    static let usage = """
        Usage: fixstream score --truth truth.jsonl --alerts alerts.jsonl [--tolerance S] [--explain]
                               [--idle-after S] [--gps-lost S]

        Scores the alerts 'fixstream process' raised on a simulated fleet against what really happened
        ('fixstream simulate' writes truth.jsonl). For every alert type the truth can judge: how many true
        events there were, how many an alert of the right type, vehicle and fence or stop (or trip) met within
        the tolerance (one alert per event), the alerts that met none, precision and recall. Events too close
        to a detector's threshold to call (a halt of about the idle time, a fence barely grazed, an event at
        the very end of the data) are counted apart as ambiguous: an alert for one is neither right nor wrong.
        ETA error: the prediction in force 30, 15 and 5 minutes before each true arrival, from the ETA lines
        of 'process --eta' (eta.changed alerts only announce large moves, so they cannot say what was in force),
        minus the true arrival: mean absolute error, mean, median and 90th percentile, seconds.

        Prints a table, then the summary as one JSON line.

        Options:
          --truth FILE      the simulation's truth.jsonl (required)
          --alerts FILE     the output of 'fixstream process' (- for stdin); fix lines are ignored (required)
          --tolerance S     seconds an alert may be off the true time (default 30)
          --idle-after S    the idle threshold process ran with (default 120)
          --gps-lost S      the GPS-loss threshold process ran with (default 120)
          --explain         also list missed events and false alerts (up to 20 of each per type)
          -h, --help        show this help

        Exit status: 0 when the files were read, 1 when a file cannot be read, 2 on bad options or a
        malformed truth file.

        """

    /// Runs the command. Returns the exit status.
    public static func run(
        _ arguments: [String],
        stdout: some ByteOutput,
        stderr: some ByteOutput
    ) throws -> Int32 {
        let parsed = try Arguments(
            arguments,
            valued: ["truth", "alerts", "tolerance", "idle-after", "gps-lost"],
            boolean: ["explain"]
        )
        if parsed.wantsHelp {
            try stdout.write(usage)
            return 0
        }
        if let extra = parsed.positional.first { throw CLIError(.usage, "score: unexpected argument '\(extra)'") }
        guard let truthPath = parsed["truth"], let alertsPath = parsed["alerts"] else {
            throw CLIError(.usage, "score needs --truth FILE and --alerts FILE (see --help)")
        }
        var rules = ScoreRules()
        if let text = parsed["tolerance"] {
            rules.tolerance = try Options.milliseconds(text, flag: "tolerance", range: 0 ... 3600)
        }
        if let text = parsed["idle-after"] {
            rules.idleAfter = try Options.milliseconds(text, flag: "idle-after", range: 1 ... 86_400)
        }
        if let text = parsed["gps-lost"] {
            rules.gpsLostAfter = try Options.milliseconds(text, flag: "gps-lost", range: 1 ... 86_400)
        }
        var truth: [TruthEvent] = []
        var number = 0
        try forEachLine(of: truthPath) { line in
            number += 1
            guard !line.isEmpty else { return }
            do {
                truth.append(try TruthEvent(line: line))
            } catch {
                throw CLIError(.usage, "\(truthPath) line \(number): \(error)")
            }
        }
        var scorer = AlertScorer(truth: truth, rules: rules)
        try forEachLine(of: alertsPath) { scorer.add(line: $0) }
        let report = scorer.finish()
        var text = report.table()
        if parsed["explain"] != nil {
            for score in report.types where !score.missedExamples.isEmpty || !score.falseExamples.isEmpty {
                text += "\n\(score.type):\n"
                for example in score.missedExamples { text += "  missed  \(example)\n" }
                for example in score.falseExamples { text += "  false   \(example)\n" }
            }
        }
        if report.unreadableLines > 0 { text += "\n\(report.unreadableLines) unreadable line(s) in \(alertsPath)\n" }
        try stdout.write(text)
        var json = report.json.serialized()
        json.append(UInt8(ascii: "\n"))
        try json.withUnsafeBytes { try stdout.write($0) }
        return 0
    }

    /// Calls `body` with each line of `path` (`-` is stdin), without its line feed (or carriage return).
    static func forEachLine(of path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let input = try InputFile(path: path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: InputFile.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var carry: [UInt8] = []
        func deliver(_ line: UnsafeRawBufferPointer) throws {
            var line = line
            if line.last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
            try body(line)
        }
        while true {
            let count = try input.read(into: buffer)
            if count == 0 { break }
            let base = buffer.baseAddress!
            var start = 0
            // memchr: the files are large (ETA lines), and a byte loop is slow in debug builds.
            while start < count, let found = memchr(base + start, 0x0A, count - start) {
                let newline = base.distance(to: found)
                let piece = UnsafeRawBufferPointer(start: base + start, count: newline - start)
                if carry.isEmpty {
                    try deliver(piece)
                } else {
                    carry.append(contentsOf: piece)
                    try carry.withUnsafeBytes { try deliver($0) }
                    carry.removeAll(keepingCapacity: true)
                }
                start = newline + 1
            }
            carry.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: count - start))
        }
        if !carry.isEmpty { try carry.withUnsafeBytes { try deliver($0) } }
    }
}
