import FixstreamJSON
import FixstreamStore

/// `fixstream trips`: import, list and delete the trips kept in the data directory's control store.
public enum TripsCommand {
    static let usage = """
        Usage: fixstream trips import FILE.json [--data DIR]
               fixstream trips list [--data DIR]
               fixstream trips delete ID [--data DIR]

        Manages the trips in the control store (DIR/control.sqlite3), which 'fixstream serve' loads.

          import   stores one trip object or an array of them (- reads stdin), all or nothing: one bad trip
                   and nothing is stored, with an error naming the trip and stop. Trips with the ids of stored
                   ones replace them; other stored trips stay.
          list     writes one JSON line per trip, by id: {"id","vehicle","stops","updated_at"}
          delete   removes the trip with id ID

        A trip: {"id", "vehicle", "stops": [{"id", "lat", "lon", "radius"?, "window"?: {"start"?, "end"?},
        "service"?, "tracking"?}, ...], "route"?: GeoJSON LineString} (see docs/FORMATS.md).

        Options:
          --data DIR   data directory (default ./fixstream-data), created if missing
          -h, --help   show this help

        Exit status: 0 on success, 1 when a file or the store cannot be read or written (or ID is unknown),
        2 on bad options or invalid trips.

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
            throw CLIError(.usage, "trips: missing action: import, list or delete (see 'fixstream trips --help')")
        }
        let rest = parsed.positional.dropFirst()
        let directory = ControlData.directory(parsed)
        switch action {
        case "import":
            let path = try ControlData.single(rest, "trips file", command: "trips import")
            let bytes = try InputFile.readAll(path: path)
            let store = try ControlData.open(directory)
            let ids = try ControlData.perform("invalid trips in '\(path)'") { try store.importTrips(bytes) }
            try stderr.write("fixstream trips: imported \(ControlData.count(ids.count, "trip"))\n")
        case "list":
            try ControlData.none(rest, command: "trips list")
            let store = try ControlData.open(directory)
            let trips = try ControlData.perform("cannot list trips") { try store.trips() }
            var output: [UInt8] = []
            for trip in trips {
                let stops = (try? JSONValue.parse(Array(trip.trip.utf8)))?["stops"]?.array?.count ?? 0
                ControlData.line(
                    [
                        (key: "id", value: .string(trip.id)),
                        (key: "vehicle", value: .string(trip.vehicle)),
                        (key: "stops", value: .number(Double(stops))),
                        (key: "updated_at", value: ControlData.time(trip.updatedAt)),
                    ],
                    to: &output
                )
            }
            try output.withUnsafeBytes { try stdout.write($0) }
            try stderr.write("fixstream trips: \(ControlData.count(trips.count, "trip"))\n")
        case "delete":
            let id = try ControlData.single(rest, "trip id", command: "trips delete")
            let store = try ControlData.open(directory)
            guard try ControlData.perform("cannot delete trip '\(id)'", { try store.deleteTrip(id: id) }) else {
                throw CLIError(.io, "trips delete: no trip with id '\(id)'")
            }
            try stderr.write("fixstream trips: deleted 1 trip\n")
        default:
            throw CLIError(
                .usage,
                "trips: unknown action '\(action)': import, list or delete (see 'fixstream trips --help')"
            )
        }
        return 0
    }
}
