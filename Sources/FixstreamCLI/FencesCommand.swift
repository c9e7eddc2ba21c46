import FixstreamJSON
import FixstreamStore

/// `fixstream fences`: import, list and delete the geofences kept in the data directory's control store.
public enum FencesCommand {
    static let usage = """
        Usage: fixstream fences import FILE.geojson [--data DIR]
               fixstream fences list [--data DIR]
               fixstream fences delete ID [--data DIR]

        Manages the geofences in the control store (DIR/control.sqlite3), which 'fixstream serve' loads.

          import   stores every feature of a GeoJSON FeatureCollection, Feature or array of Features (- reads
                   stdin), all or nothing: one bad feature and nothing is stored, with an error naming it.
                   Fences with the ids of stored ones replace them; other stored fences stay.
          list     writes one JSON line per fence, by id: {"id","name","updated_at"}
          delete   removes the fence with id ID

        Features need properties.id; Polygon, MultiPolygon, Point (with properties.radius, metres) and
        LineString (with properties.buffer, metres) geometries (see docs/FORMATS.md).

        Options:
          --data DIR   data directory (default ./fixstream-data), created if missing
          -h, --help   show this help

        Exit status: 0 on success, 1 when a file or the store cannot be read or written (or ID is unknown),
        2 on bad options or invalid fences.

        """

    /// Runs the command. Returns the exit status.
    public static func run(
        _ arguments: [String],
        stdout: some ByteOutput,
        stderr: some ByteOutput
    ) throws -> Int32 {
        let parsed = try Arguments(arguments, valued: ["data"])
        if parsed.wantsHelp {
            try stdout.write(usage)
            return 0
        }
        guard let action = parsed.positional.first else {
            throw CLIError(.usage, "fences: missing action: import, list or delete (see 'fixstream fences --help')")
        }
        let rest = parsed.positional.dropFirst()
        let directory = ControlData.directory(parsed)
        switch action {
        case "import":
            let path = try ControlData.single(rest, "GeoJSON file", command: "fences import")
            let bytes = try InputFile.readAll(path: path)
            let store = try ControlData.open(directory)
            let ids = try ControlData.perform("invalid fences in '\(path)'") { try store.importFences(bytes) }
            try stderr.write("fixstream fences: imported \(ControlData.count(ids.count, "fence"))\n")
        case "list":
            try ControlData.none(rest, command: "fences list")
            let store = try ControlData.open(directory)
            let fences = try ControlData.perform("cannot list fences") { try store.fences() }
            var output: [UInt8] = []
            for fence in fences {
                ControlData.line(
                    [
                        (key: "id", value: .string(fence.id)),
                        (key: "name", value: fence.name.map(JSONValue.string) ?? .null),
                        (key: "updated_at", value: ControlData.time(fence.updatedAt)),
                    ],
                    to: &output
                )
            }
            try output.withUnsafeBytes { try stdout.write($0) }
            try stderr.write("fixstream fences: \(ControlData.count(fences.count, "fence"))\n")
        case "delete":
            let id = try ControlData.single(rest, "fence id", command: "fences delete")
            let store = try ControlData.open(directory)
            guard try ControlData.perform("cannot delete fence '\(id)'", { try store.deleteFence(id: id) }) else {
                throw CLIError(.io, "fences delete: no fence with id '\(id)'")
            }
            try stderr.write("fixstream fences: deleted 1 fence\n")
        default:
            throw CLIError(
                .usage,
                "fences: unknown action '\(action)': import, list or delete (see 'fixstream fences --help')"
            )
        }
        return 0
    }
}
