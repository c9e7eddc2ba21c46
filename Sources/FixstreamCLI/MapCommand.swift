import FixstreamOSM
import FixstreamRoads
import Foundation

/// `fixstream map import`: builds the road graph for map matching from an OpenStreetMap XML extract.
public enum MapCommand {
    static let usage = """
        Usage: fixstream map import FILE.osm [--out FILE] [--data DIR]

        Builds the road graph that 'fixstream match' and map matching use from an OpenStreetMap XML extract
        (.osm) and writes it to DIR/roads.fxg, or to --out FILE (replaced whole: a reader never sees half a
        graph).

        Keeps the ways a delivery van may drive on: highways for motor vehicles (motorway to residential,
        living_street, service), not areas, not closed to it by access, vehicle, motor_vehicle or motorcar (the
        most specific one tagged: no, private, psv, agricultural, ...; destination, delivery and customers let
        it in), not reversible lanes. Direction from oneway, roundabouts and motorways; speed limit from
        maxspeed (km/h, mph, knots), else the road class's default; name and ref. Ways left out are counted by
        reason; content that makes no sense never stops an import, malformed XML does (with its line).

        PBF files (.osm.pbf) are not read: convert them first ('osmium cat map.osm.pbf -o map.osm').

        Options:
          --out FILE   where to write the graph (default DIR/roads.fxg)
          --data DIR   data directory (default ./fixstream-data), created if missing
          -h, --help   show this help

        Progress goes to stderr every 2 seconds, then a summary: nodes and ways read, ways kept, skipped by
        reason, the graph's nodes and edges, the output file and its size.

        Exit status: 0 on success, 1 when the file cannot be read or the graph cannot be written, 2 on bad
        options or a file that is not well-formed OSM XML.

        """

    /// The graph file's name in the data directory.
    static let graphFileName = "roads.fxg"

    /// Runs the command. Returns the exit status.
    public static func run(
        _ arguments: [String],
        stdout: some ByteOutput,
        stderr: some ByteOutput
    ) throws -> Int32 {
        let parsed = try Arguments(arguments, valued: ["out", "data"])
        if parsed.wantsHelp {
            try stdout.write(usage)
            return 0
        }
        guard let action = parsed.positional.first else {
            throw CLIError(.usage, "map: missing action: import (see 'fixstream map --help')")
        }
        guard action == "import" else {
            throw CLIError(.usage, "map: unknown action '\(action)': import (see 'fixstream map --help')")
        }
        let input = try ControlData.single(parsed.positional.dropFirst(), "OSM XML file", command: "map import")
        if input.hasSuffix(".pbf") {
            throw CLIError(
                .usage,
                "map import: '\(input)' is PBF, which is not read: convert it to XML first "
                    + "('osmium cat \(input) -o map.osm')"
            )
        }
        let output: String
        if let out = parsed["out"] {
            output = out
        } else {
            let directory = ControlData.directory(parsed)
            try makeDirectory(directory)
            output = directory.hasSuffix("/") ? directory + graphFileName : directory + "/" + graphFileName
        }
        try importMap(input, to: output, stderr: stderr)
        return 0
    }

    /// Reads `input`, builds the graph and writes it to `output`, with progress and a summary on `stderr`.
    static func importMap(_ input: String, to output: String, stderr: some ByteOutput) throws {
        let start = ContinuousClock.now
        let imported: OSMImport
        do {
            imported = try OSMImporter().importFile(atPath: input) { progress in
                try? stderr.write("fixstream map: \(describe(progress))\n")
            }
        } catch {
            throw CLIError(error.code == .io ? .io : .usage, "map import: \(error)")
        }
        let statistics = imported.statistics
        var summary =
            "fixstream map: read \(input) (\(size(statistics.bytes))) in \(seconds(since: start)): "
            + "\(count(statistics.nodes, "node")), \(count(statistics.ways, "way")), "
            + "\(count(statistics.relations, "relation"))\n"
        if statistics.nodesRejected > 0 {
            summary += "fixstream map: \(count(statistics.nodesRejected, "node")) without a usable id or position\n"
        }
        summary +=
            "fixstream map: kept \(count(statistics.waysKept, "way")) using \(count(statistics.usedNodes, "node")); skipped "
            + "\(statistics.waysSkipped): \(statistics.skippedSummary)\n"
        if statistics.waysCut > 0 {
            summary +=
                "fixstream map: \(count(statistics.waysCut, "way")) cut into pieces around nodes missing from the "
                + "file (\(count(statistics.missingNodeReferences, "reference")) to missing nodes)\n"
        }
        try stderr.write(summary)

        var builder = imported.makeBuilder()
        let graph = builder.build()
        do {
            try graph.write(toFile: output)
        } catch {
            throw CLIError(.io, "map import: \(error.message)")
        }
        try stderr.write(
            "fixstream map: graph of \(count(graph.nodeCount, "node")) and \(count(graph.edgeCount, "edge")) "
                + "written to \(output) "
                + "(\(size(graph.bytes.count))) in \(seconds(since: start))\n"
        )
    }

    /// `12.3 of 50.0 MB (24 %), 1234567 nodes, 12345 ways, 2.0 s`.
    static func describe(_ progress: OSMImportProgress) -> String {
        var text = String(format1: Double(progress.bytesRead) / 1e6)
        if let total = progress.totalBytes, total > 0 {
            text += " of \(String(format1: Double(total) / 1e6)) MB (\(progress.bytesRead * 100 / total) %)"
        } else {
            text += " MB"
        }
        return text + ", \(progress.nodes) nodes, \(progress.ways) ways, \(String(format1: progress.seconds)) s"
    }

    /// `1 way`, `2 ways`.
    static func count(_ count: Int, _ noun: String) -> String {
        ControlData.count(count, noun)
    }

    /// `5.5 MB`, or `812 bytes` under 100 kB.
    static func size(_ bytes: Int) -> String {
        bytes < 100_000 ? "\(bytes) bytes" : "\(String(format1: Double(bytes) / 1e6)) MB"
    }

    /// `0.21 s`: the time since `start`, to a hundredth of a second.
    static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = (ContinuousClock.now - start).components
        let hundredths = Int(elapsed.seconds) * 100 + Int(elapsed.attoseconds / 10_000_000_000_000_000)
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) s"
    }

    /// Creates the data directory and its parents; an IO error (exit 1) when it cannot be.
    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CLIError(.io, "map import: cannot create the data directory '\(path)'")
        }
    }
}
