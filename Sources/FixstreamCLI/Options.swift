import FixstreamDetect
import FixstreamGeo
import FixstreamOSM
import FixstreamRoads
import FixstreamTrips
import FixstreamWire

/// Parsing of option values shared by the subcommands, each with a one-line error naming the flag.
enum Options {
    /// `--format`: auto (default), nmea or json.
    static func format(_ text: String?) throws -> InputFormat {
        guard let text else { return .auto }
        guard let format = InputFormat(rawValue: text) else {
            throw CLIError(.usage, "unknown format '\(text)' (expected auto, nmea or json)")
        }
        return format
    }

    /// `--vehicle`: a valid vehicle id, or nil when absent.
    static func vehicle(_ text: String?) throws -> VehicleID? {
        guard let text else { return nil }
        guard let id = VehicleID(text) else {
            throw CLIError(.usage, "invalid vehicle id '\(text)': 1 to 48 printable characters, no spaces or quotes")
        }
        return id
    }

    /// A decimal number within `range`.
    static func number(_ text: String, flag: String, range: ClosedRange<Double>) throws -> Double {
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw CLIError(
                .usage,
                "invalid --\(flag) '\(text)': a number from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return value
    }

    /// An integer within `range`.
    static func integer(_ text: String, flag: String, range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw CLIError(
                .usage,
                "invalid --\(flag) '\(text)': a whole number from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return value
    }

    /// Seconds (decimals allowed) within `range`, returned in milliseconds.
    static func milliseconds(_ text: String, flag: String, range: ClosedRange<Double>) throws -> Int64 {
        Int64((try number(text, flag: flag, range: range) * 1000).rounded())
    }

    /// The detector options (`gps-lost`, `idle-radius`, `idle-after`) among `values`; absent ones keep defaults.
    static func detectors(_ values: [String: String]) throws -> DetectorConfig {
        var config = DetectorConfig()
        if let text = values["gps-lost"] {
            let value = try milliseconds(text, flag: "gps-lost", range: 0 ... 86_400)
            config.gpsLostAfter = value == 0 ? nil : value
        }
        if let text = values["idle-radius"] {
            config.idleRadius = try number(text, flag: "idle-radius", range: 1 ... 10_000)
        }
        if let text = values["idle-after"] {
            let value = try milliseconds(text, flag: "idle-after", range: 0 ... 86_400)
            config.idleAfter = value == 0 ? nil : value
        }
        return config
    }

    /// Reads a GeoJSON file of fences (`--fences`) into an index; a precise error names the feature at fault.
    static func fences(_ path: String?) throws -> FenceIndex? {
        try fenceList(path).map(FenceIndex.init)
    }

    /// Reads a GeoJSON file of fences; a precise error names the feature at fault.
    static func fenceList(_ path: String?) throws -> [Fence]? {
        guard let path else { return nil }
        let bytes = try InputFile.readAll(path: path)
        do {
            return try GeoJSONFences.parse(bytes)
        } catch {
            throw CLIError(.usage, "invalid fences in '\(path)': \(error)")
        }
    }

    /// Reads trips (`--trips`): one trip object or an array; a precise error names the trip and stop at fault.
    static func trips(_ path: String?) throws -> TripBook? {
        try tripList(path).map(TripBook.init)
    }

    /// Reads a file of trips: one trip object or an array; a precise error names the trip and stop at fault.
    static func tripList(_ path: String?) throws -> [Trip]? {
        guard let path else { return nil }
        do {
            return try TripParser.parseDocument(try InputFile.readAll(path: path))
        } catch let error as TripError {
            throw CLIError(.usage, "invalid trips in '\(path)': \(error)")
        }
    }

    /// Loads the road graph of `--map`: a graph file as `fixstream map import` writes it (one mmap and a check of
    /// every index, so a damaged file is refused here rather than crashing a shard later), or an OpenStreetMap XML
    /// file (`.osm`) imported on the spot.
    /// - Throws: ``CLIError`` with `io` (exit 1) when the file cannot be read, `usage` (exit 2) when it is not a
    ///   road graph this build reads or not well-formed OSM XML.
    static func roadMap(_ path: String?) throws -> RoadGraph? {
        guard let path else { return nil }
        if path.lowercased().hasSuffix(".osm") {
            do {
                var builder = try OSMImporter().importFile(atPath: path).makeBuilder()
                return builder.build()
            } catch {
                throw CLIError(error.code == .io ? .io : .usage, "--map: \(error)")
            }
        }
        do {
            return try RoadGraph.load(path: path)
        } catch {
            throw CLIError(error.code == .io ? .io : .usage, "--map: \(error.message)")
        }
    }
}
