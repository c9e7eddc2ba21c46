import FixstreamDeliver
import FixstreamDetect
import FixstreamGeo
import FixstreamJSON
import FixstreamNet
import FixstreamPipeline
import FixstreamServer
import Foundation

/// `fixstream serve`: the streaming server.
public enum ServeCommand {
    static let usage = """
        Usage: fixstream serve [options]

        Receives positions from devices and phone apps, runs every vehicle through the pipeline and writes alerts.
        Prints one line 'listening ingest=ADDR:P osmand=ADDR:P http=ADDR:P' once the ports are bound. Stops
        gracefully on SIGINT or SIGTERM: accepted fixes are processed and alerts flushed before it exits 0.

        Fences and trips are the ones stored in the data directory ('fixstream fences import', 'fixstream trips
        import') unless --fences or --trips name files; the stored ones can be changed while it runs with PUT and
        DELETE on /fences/{id} and /trips/{id} of the API port.

        Options (each also a key of the JSON config file, e.g. {"ingest-port": 0, "shards": 2}):
          --config FILE          read options from a JSON file first (flags given too override it)
          --data DIR             data directory (default ./fixstream-data)
          --listen ADDR          numeric address of the ingest ports (default 127.0.0.1; 0.0.0.0 or :: opens them)
          --http-listen ADDR     numeric address of the API port (default: --listen's); anything but loopback
                                 needs tokens
          --ingest-port P        device lines over TCP and UDP (default 5005; 0 picks a free port)
          --osmand-port P        OsmAnd HTTP ingest (default 5055)
          --http-port P          metrics and API (default 8080)
          --shards N             pipeline threads (default: one per core)
          --clock wall|event     what timers (gps.lost, idle, dwell, ETAs, reorder holds) run on: wall time
                                 (default, for live devices) or each shard's newest accepted event time, for
                                 replaying recorded or simulated fleets faster than real time (a shard that
                                 hears nothing then stops its clock: not for live devices); fixes from the
                                 future are judged against wall time either way
          --alerts-out FILE|-    alert JSON lines (default DATA/alerts.jsonl; - for stdout); every alert is
                                 first committed to the journal DATA/journal.sqlite3
          --alert-retention S    journaled alerts are kept this long, seconds (default 604800, a week; 0 forever)
          --alert-retention-bytes N   and the journal under this size, bytes (default 4294967296; 0 no cap)
          --alert-sync on|off    sync the journal at every commit: survives power loss, costs an fsync per
                                 batch (default off: a committed alert survives the process dying)
          --checkpoint-interval S   save the detectors' state of vehicles that changed every S seconds to
                                 DATA/checkpoints.sqlite3, and always on a graceful stop; a restart resumes
                                 from it (default 60; 0 saves only on stop)
          --max-line N           longest device line, bytes (default 1024)
          --max-connections N    device connections at most (default 20000)
          --max-connections-per-address N   from one IP address (default 2000)
          --idle-timeout S       close device connections silent this long, seconds (default 600)
          --max-http-request N   largest HTTP request, bytes (default 65536)
          --max-api-body N       largest fence or trip document on the API port, bytes (default 4194304)
          --reorder-window S     out-of-order tolerance per vehicle, seconds (default 5)
          --max-speed M          fastest plausible speed between fixes, m/s (default 70)
          --max-accuracy M       reject fixes reporting worse accuracy, metres (default 100; 0 disables)
          --fences FILE          geofences (GeoJSON FeatureCollection) for geofence.enter/exit/dwell
                                 (default: the fences stored with 'fixstream fences import')
          --trips FILE           planned trips (JSON) for stops, route deviation and ETA alerts
                                 (default: the trips stored with 'fixstream trips import')
          --map FILE             road graph ('fixstream map import', or an .osm file imported at start):
                                 matches every fix to a road (the
                                 vehicle's road on /vehicles/{id}); ETAs over the fastest road paths; trips
                                 without a route get one from the map
          --gps-lost S           gps.lost after S seconds without a fix (default 120; 0 disables)
          --idle-radius M        a halt stays within M metres (default 30)
          --idle-after S         idle.start after S seconds halted (default 120; 0 disables)
          -h, --help             show this help

        Config file only (never on the command line, where other users could read them):
          "read-token"           bearer token for reading the API
          "admin-token"          bearer token for the whole API, including changes to fences and trips
          "webhooks"             endpoints alerts are POSTed to: [{"name","url","secret", optional "vehicle",
                                 "type","fence","trip","batch-size","timeout","max-age","from"}]
                                 With neither, the API is open and must listen on loopback.

        """

    static let valued: Set<String> = [
        "config", "data", "listen", "ingest-port", "osmand-port", "http-port", "shards", "alerts-out", "max-line",
        "max-connections", "max-connections-per-address", "idle-timeout", "max-http-request", "reorder-window",
        "max-speed", "max-accuracy", "gps-lost", "idle-radius", "idle-after", "fences", "trips", "http-listen",
        "max-api-body", "alert-retention", "alert-retention-bytes", "alert-sync", "checkpoint-interval", "map",
        "clock",
    ]

    /// Keys only the config file may hold.
    static let secrets: Set<String> = ["read-token", "admin-token"]

    /// Runs the server until SIGINT or SIGTERM. Returns the exit status.
    public static func run(
        _ arguments: [String],
        stdout: some ByteOutput,
        stderr: some ByteOutput
    ) throws -> Int32 {
        let parsed = try Arguments(arguments, valued: valued)
        if parsed.wantsHelp {
            try stdout.write(usage)
            return 0
        }
        guard parsed.positional.isEmpty else {
            throw CLIError(.usage, "unexpected argument '\(parsed.positional[0])' (see 'fixstream serve --help')")
        }
        // Signals are blocked before any thread starts (threads inherit the mask) and read from a signalfd here.
        do {
            try Signals.block([Signals.interrupt, Signals.terminate])
        } catch {
            throw CLIError(.io, "cannot set up signal handling: \(error)")
        }
        let server = try start(parsed)
        try stdout.write(server.listeningLine + "\n")
        waitForStopSignal()
        server.stop()
        try stderr.write("fixstream serve: stopped; \(server.summary)\n")
        return 0
    }

    /// Loads the fences and trips, opens the control store for the admin API and starts the server.
    /// - Parameters:
    ///   - parsed: the serve options.
    ///   - configure: called with each shard's stages before the shard runs (`demo` observes the ETAs there).
    static func start(
        _ parsed: Arguments,
        lock: DataDirectoryLock? = nil,
        configure: @escaping @Sendable ([any PipelineStage]) -> Void = { _ in }
    ) throws -> Server {
        let (config, detectors) = try configuration(parsed)
        // Before anything in the data directory is touched (the control store first): one server per directory.
        let held: DataDirectoryLock
        do {
            held = try lock ?? DataDirectoryLock(config.dataDirectory)
        } catch {
            throw CLIError(.io, "\(error)")
        }
        let fileValues = try parsed["config"].map(configFile) ?? [:]
        let fencesFile = parsed["fences"] ?? fileValues["fences"]
        let tripsFile = parsed["trips"] ?? fileValues["trips"]
        // One map for every shard (immutable, mapped once); each shard gets its own matcher and searches.
        let roads = try Options.roadMap(parsed["map"] ?? fileValues["map"])
        let store = try ControlData.open(config.dataDirectory)
        let stored = try StoredControlData.load(
            from: store,
            fences: fencesFile == nil,
            trips: tripsFile == nil,
            dataDirectory: config.dataDirectory
        )
        let fences = try Options.fenceList(fencesFile) ?? stored.fences
        let trips = try Options.tripList(tripsFile) ?? stored.trips
        let live = LiveControl(fences: FenceIndex(fences), trips: TripBook(trips))
        let controlPlane = StoreControlPlane(
            store: store,
            live: live,
            fences: fences,
            trips: trips,
            fencesFile: fencesFile,
            tripsFile: tripsFile
        )
        do {
            return try Server.start(
                config,
                stages: { _ in
                    let stages = Detectors.stages(detectors, live: live, roads: roads)
                    configure(stages)
                    return stages
                },
                controlPlane: controlPlane,
                live: live,
                lock: held
            )
        } catch {
            throw CLIError(.io, "\(error)")
        }
    }

    private static func waitForStopSignal() {
        guard let signals = try? SignalFD(signals: [Signals.interrupt, Signals.terminate]) else { return }
        var poller = pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0)
        while true {
            _ = poll(&poller, 1, -1)
            if let signal = try? signals.read(), signal == Signals.interrupt || signal == Signals.terminate { return }
        }
    }

    /// The configuration from the config file (if any) overridden by flags.
    static func configuration(_ parsed: Arguments) throws -> (ServerConfig, DetectorConfig) {
        var values: [String: String] = [:]
        var webhooks: [WebhookEndpoint] = []
        if let path = parsed["config"] {
            values = try configFile(path)
            webhooks = try webhookEndpoints(path)
        }
        for name in valued where name != "config" {
            if let value = parsed[name] { values[name] = value }
        }
        var config = ServerConfig(cores: CPU.count)
        config.webhooks = webhooks
        for (name, value) in values {
            switch name {
            case "data": config.dataDirectory = value
            case "listen": config.listen = value
            case "http-listen": config.httpListen = value
            case "read-token": config.readToken = try token(value, name)
            case "admin-token": config.adminToken = try token(value, name)
            case "max-api-body":
                config.limits.maxAPIBody = try Options.integer(value, flag: name, range: 1024 ... 1 << 30)
            case "ingest-port": config.ingestPort = try port(value, name)
            case "osmand-port": config.osmandPort = try port(value, name)
            case "http-port": config.httpPort = try port(value, name)
            case "shards": config.shards = try Options.integer(value, flag: name, range: 1 ... 256)
            case "clock":
                guard let clock = ServerConfig.Clock(rawValue: value) else {
                    throw CLIError(.usage, "--clock takes wall or event, not '\(value)'")
                }
                config.clock = clock
            case "alerts-out": config.alertsOut = value
            case "alert-retention":
                let age = try Options.milliseconds(value, flag: name, range: 0 ... 10 * 365 * 86_400)
                config.alertRetentionAge = age == 0 ? nil : age
            case "alert-retention-bytes":
                let bytes = try Options.integer(value, flag: name, range: 0 ... Int.max)
                config.alertRetentionBytes = bytes == 0 ? nil : bytes
            case "alert-sync":
                switch value {
                case "on", "true", "1": config.alertSyncEveryCommit = true
                case "off", "false", "0": config.alertSyncEveryCommit = false
                default: throw CLIError(.usage, "--alert-sync takes on or off, not '\(value)'")
                }
            case "checkpoint-interval":
                config.checkpointInterval = try Options.milliseconds(value, flag: name, range: 0 ... 86_400)
            case "max-line": config.limits.maxLineLength = try Options.integer(value, flag: name, range: 16 ... 1 << 20)
            case "max-connections":
                config.limits.maxConnections = try Options.integer(value, flag: name, range: 1 ... 1_000_000)
            case "max-connections-per-address":
                config.limits.maxConnectionsPerAddress = try Options.integer(value, flag: name, range: 1 ... 1_000_000)
            case "idle-timeout":
                config.limits.idleTimeout = try Options.milliseconds(value, flag: name, range: 1 ... 86_400)
            case "max-http-request":
                config.limits.maxHTTPRequest = try Options.integer(value, flag: name, range: 1024 ... 64 << 20)
            case "reorder-window":
                config.pipeline.reorderWindow = try Options.milliseconds(value, flag: name, range: 0 ... 3600)
                config.pipeline.maxHold = config.pipeline.reorderWindow
            case "max-speed": config.pipeline.maxSpeed = try Options.number(value, flag: name, range: 1 ... 10_000)
            case "max-accuracy":
                let limit = try Options.number(value, flag: name, range: 0 ... 1_000_000)
                config.pipeline.maxAccuracy = limit == 0 ? nil : Float(limit)
            case "gps-lost", "idle-radius", "idle-after", "fences", "trips", "map":
                break  // detector options, read separately
            default: throw CLIError(.usage, "unknown option '\(name)'")
            }
        }
        return (config, try Options.detectors(values))
    }

    /// A token: 16 to 256 printable ASCII characters without spaces, so it travels in a header unchanged and is
    /// long enough not to be guessed.
    private static func token(_ text: String, _ name: String) throws -> String {
        guard (16 ... 256).contains(text.utf8.count), text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw CLIError(.usage, "config key '\(name)' needs 16 to 256 printable ASCII characters without spaces")
        }
        return text
    }

    private static func port(_ text: String, _ name: String) throws -> UInt16 {
        UInt16(try Options.integer(text, flag: name, range: 0 ... 65_535))
    }

    /// The config file's `webhooks`: an array of endpoints (see the README), checked completely.
    static func webhookEndpoints(_ path: String) throws -> [WebhookEndpoint] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(try InputFile.readAll(path: path))
        } catch {
            throw CLIError(.usage, "config file '\(path)' is not JSON: \(error)")
        }
        guard let value = document["webhooks"], !value.isNull else { return [] }
        do {
            return try WebhookEndpoint.parse(value)
        } catch {
            throw CLIError(.usage, "config file '\(path)': \(error)")
        }
    }

    /// Reads a JSON object of option names to values (strings, numbers or booleans); unknown keys are refused by
    /// name.
    static func configFile(_ path: String) throws -> [String: String] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError(.io, "cannot read config file '\(path)'")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CLIError(.usage, "config file '\(path)' is not a JSON object")
        }
        var values: [String: String] = [:]
        for (key, value) in object where key != "webhooks" {
            guard (valued.contains(key) || secrets.contains(key)), key != "config" else {
                throw CLIError(.usage, "config file '\(path)': unknown key '\(key)'")
            }
            switch value {
            case let text as String: values[key] = text
            case let number as NSNumber: values[key] = number.stringValue
            default: throw CLIError(.usage, "config file '\(path)': key '\(key)' needs a string or a number")
            }
        }
        return values
    }
}
