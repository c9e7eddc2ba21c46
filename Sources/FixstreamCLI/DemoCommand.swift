import FixstreamDetect
import FixstreamEval
import FixstreamGeo
import FixstreamLoad
import FixstreamNet
import FixstreamPipeline
import FixstreamServer
import FixstreamSim
import FixstreamTrips
import FixstreamWire
import Foundation
import Synchronization

/// `fixstream demo`: Fixstream doing its job on its own, with no setup: a simulated fleet on the bundled map,
/// replayed faster than real time into a server on the event-time clock, its alerts printed as they happen and
/// scored against what really happened.
public enum DemoCommand {
    static let usage = """
        Usage: fixstream demo [--vehicles N] [--duration D] [--speed X|max] [--seed S] [--map FILE]
                              [--data DIR] [--ingest-port P] [--osmand-port P] [--http-port P] [--exit]

        Shows Fixstream at work with no setup. It imports the bundled Monaco road map into the data directory
        (once; again when the .osm is newer), simulates a delivery fleet on it with known truth (fixstream
        simulate), starts the server (fixstream serve) with the fleet's fences and trips, the map and the
        event-time clock, replays the fleet's fixes into it over TCP (fixstream replay), and prints every alert
        as it happens, one line each: event time (local), vehicle, type, what happened. The simulated span ends
        now, so the alerts carry today's times. When the replay is over it prints what the server received,
        filtered and raised, and the score of the alerts and ETAs against the simulation's truth (fixstream
        score), then keeps the server running for browsing (the URLs printed at start) until Ctrl-C, or exits
        with --exit. Once the server is up, Ctrl-C (or SIGTERM) stops the replay and the server cleanly and exits
        0 (during the import and the simulation before it, Ctrl-C just ends the process).

        Options:
          --vehicles N      fleet size (default 20)
          --duration D      span simulated: seconds, or with a unit: 90m, 2h (default 60m); vans times hours at
                            most 5000
          --speed X|max     replay speed: 10 is ten times real time (default 10); max: as fast as possible
          --seed S          seed of the simulation (default 1); the same seed gives the same fleet
          --map FILE        road map: an OpenStreetMap XML file (.osm) or a graph from 'fixstream map import'
                            (default: the bundled Traces/maps/monaco-roads.osm, found from the current
                            directory or the executable's)
          --data DIR        the demo's directory (default ./fixstream-demo): the imported map (roads.fxg), the
                            fleet's files (fleet/) and the server's data (server/, emptied at every start)
          --ingest-port P   device lines (default 5005), --osmand-port P (5055), --http-port P (8080): a port
                            in use is replaced by a free one; 0 always picks a free one
          --shards N        pipeline threads (default: one per core)
          --exit            exit after the score instead of serving on
          -h, --help        show this help

        Exit status: 0 when it ran (or was stopped with Ctrl-C), 1 when the map or a file cannot be read or
        written or a port cannot be bound, 2 on bad options.

        """

    static let valued: Set<String> = [
        "vehicles", "duration", "speed", "seed", "map", "data", "ingest-port", "osmand-port", "http-port", "shards",
    ]

    /// The most vans times hours the demo simulates (about 11 M fixes held in memory).
    static let maxVanHours = 5_000.0

    /// Runs the demo. Returns the exit status.
    public static func run(
        _ arguments: [String],
        stdout: some ByteOutput,
        stderr: some ByteOutput
    ) throws -> Int32 {
        let parsed = try Arguments(arguments, valued: valued, boolean: ["exit"])
        if parsed.wantsHelp {
            try stdout.write(usage)
            return 0
        }
        if let extra = parsed.positional.first {
            throw CLIError(.usage, "demo: unexpected argument '\(extra)' (see 'fixstream demo --help')")
        }
        var simulation = SimulationConfig()
        simulation.vehicles =
            try parsed["vehicles"].map { try Options.integer($0, flag: "vehicles", range: 1 ... 2000) }
            ?? 20
        simulation.duration = try parsed["duration"].map(SimulateCommandDurations.parse) ?? 60 * 60_000
        // The demo holds the fleet's fixes in memory (about 2,200 per van and hour, some 100 bytes each): bigger
        // fleets are for simulate, serve and replay.
        let vanHours = Double(simulation.vehicles) * Double(simulation.duration) / 3_600_000
        guard vanHours <= Self.maxVanHours else {
            throw CLIError(
                .usage,
                "demo: \(simulation.vehicles) vans for that long is \(Int(vanHours)) van-hours, more than the "
                    + "demo's \(Int(Self.maxVanHours)); for big fleets use simulate, serve and replay (README, load test)"
            )
        }
        if let text = parsed["seed"] {
            guard let seed = UInt64(text) else { throw CLIError(.usage, "invalid --seed '\(text)': a whole number") }
            simulation.seed = seed
        }
        var speed: Double? = 10
        if let text = parsed["speed"] {
            speed = text == "max" ? nil : try Options.number(text, flag: "speed", range: 0.1 ... 1_000_000)
        }
        var ports: [(name: String, port: UInt16)] = []
        for (name, fallback) in [("ingest-port", 5005), ("osmand-port", 5055), ("http-port", 8080)] {
            let text = parsed[name] ?? String(fallback)
            ports.append((name, UInt16(try Options.integer(text, flag: name, range: 0 ... 65_535))))
        }
        if let text = parsed["shards"] { _ = try Options.integer(text, flag: "shards", range: 1 ... 256) }
        let data = parsed["data"] ?? "./fixstream-demo"
        let console = DemoConsole(stdout)

        do {
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        } catch {
            throw CLIError(.io, "demo: cannot create the data directory '\(data)'")
        }
        // Taken before anything is written: a second demo on the same directory must not replace a running one's
        // map, fleet or server files.
        let serverData = data + "/server"
        let lock: DataDirectoryLock
        do {
            lock = try DataDirectoryLock(serverData)
        } catch {
            throw CLIError(.io, "demo: \(error)")
        }
        let map = try DemoMap.graphFile(map: parsed["map"], dataDirectory: data, stdout: console)
        let fleet = try simulate(simulation, map: map, into: data + "/fleet", console: console)
        try resetServerData(serverData)

        // Signals are blocked before any thread starts (threads inherit the mask) and read from a signalfd here.
        let signals: SignalFD
        do {
            try Signals.block([Signals.interrupt, Signals.terminate])
            signals = try SignalFD(signals: [Signals.interrupt, Signals.terminate])
        } catch {
            throw CLIError(.io, "cannot set up signal handling: \(error)")
        }
        var serve = [
            "--data", serverData, "--map", map, "--fences", data + "/fleet/fences.geojson", "--trips",
            data + "/fleet/trips.json", "--clock", "event",
        ]
        for (name, port) in ports {
            serve += ["--\(name)", String(isFree(port, udp: name == "ingest-port") ? port : 0)]
        }
        if let shards = parsed["shards"] { serve += ["--shards", shards] }
        var format = DemoAlertLine(vehicleWidth: fleet.vehicles.map { $0.count }.max() ?? 8)
        for fence in try Options.fenceList(data + "/fleet/fences.geojson") ?? [] { format.names[fence.id] = fence.name }
        for trip in try Options.tripList(data + "/fleet/trips.json") ?? [] {
            for (number, stop) in trip.stops.enumerated() { format.stopNumbers[trip.id + "/" + stop.id] = number }
        }
        let observer = DemoObserver(truth: fleet.truth, console: console, format: format)
        let server = try ServeCommand.start(try Arguments(serve, valued: ServeCommand.valued), lock: lock) { stages in
            for case let trips as TripStage in stages {
                trips.observer = { observer.estimated(vehicle: $0, time: $1, trip: $2, estimates: $3) }
            }
        }
        server.observeAlerts { observer.committed($0, firstID: $1) }
        try console.write(header(server, fixes: fleet.fixes.count, speed: speed, span: simulation.duration))

        let replay = try DemoReplay(fixes: fleet.fixes, speed: speed, port: server.ingestPort)
        let interrupted = waitForSignal(signals, or: replay.finished)
        if interrupted { replay.stop() }
        let outcome = replay.join()
        guard case .success(let result) = outcome else {
            server.stop()
            if case .failure(let error) = outcome { throw CLIError(.io, "demo: cannot replay to the server: \(error)") }
            return 1
        }
        // Stopped early: the server drains what it received, so the counts are final; else they are once the
        // server has accounted for every fix, and it serves on.
        if interrupted { server.stop() } else { settle(server, sent: result.sent, observer: observer) }
        try console.write(summary(server, result: result, observer: observer, interrupted: interrupted))
        if !interrupted {
            try console.write(
                "\nscore against the simulation's truth (alerts within 30 s of the true event; ETAs 30, 15 and 5 "
                    + "minutes before each arrival):\n" + observer.score().table()
            )
            if parsed["exit"] == nil {
                try console.write(
                    "\nthe server keeps running for browsing at the URLs above; Ctrl-C stops it\n"
                )
                _ = waitForSignal(signals, or: nil)
            }
        }
        server.stop()
        try stderr.write("fixstream demo: stopped; \(server.summary)\n")
        return 0
    }

    /// The simulated fleet: its vehicles, its fixes in delivery order and what really happened.
    struct Fleet {
        var vehicles: [String]
        var fixes: [Fix]
        var truth: [TruthEvent]
    }

    /// Simulates the fleet on `map` so that its span ends now, writes its files into `directory` (as
    /// `fixstream simulate` does) and reads its fixes back.
    private static func simulate(
        _ config: SimulationConfig,
        map: String,
        into directory: String,
        console: DemoConsole
    ) throws -> Fleet {
        var config = config
        // Ending now: no fix is from the future for the server, and the alerts carry today's times.
        config.start = WallClock.milliseconds() / 1000 * 1000 - config.duration
        let graph = try Options.roadMap(map)!
        let simulation: FleetSimulation
        do {
            simulation = try FleetSimulation(graph: graph, config: config)
        } catch {
            throw CLIError(.usage, "demo: \(error.message)")
        }
        try SimulateCommand.write(simulation, to: directory)
        let reader = try TraceReader(path: directory + "/fixes.jsonl", format: .json, vehicle: nil)
        var fixes: [Fix] = []
        while let fix = try reader.peek() {
            fixes.append(fix)
            reader.advance()
        }
        let summary = simulation.summary
        try console.write(
            "simulated \(summary.vehicles) vehicles for \(DemoAlertLine.span(Double(config.duration) / 1000)) "
                + "(seed \(config.seed)) on \(map): \(summary.fixes) fixes, \(summary.stopsPlanned) stops planned; "
                + "files in \(directory)\n"
        )
        return Fleet(vehicles: simulation.vehicleIDs, fixes: fixes, truth: simulation.truth)
    }

    /// Empties the server's data directory of what an earlier demo left (journal, checkpoints, control store,
    /// alert file): each run starts afresh, so checkpoints of trips driven before cannot silence this run's.
    private static func resetServerData(_ directory: String) throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for name in try manager.contentsOfDirectory(atPath: directory)
            where name.hasSuffix(".jsonl") || name.contains(".sqlite3") {
                try manager.removeItem(atPath: directory + "/" + name)
            }
        } catch {
            throw CLIError(.io, "demo: cannot reset the server's data in '\(directory)': \(error)")
        }
    }

    /// Whether `port` can be bound on loopback now (TCP, and UDP too for the ingest port). 0 is always free.
    private static func isFree(_ port: UInt16, udp: Bool) -> Bool {
        guard port != 0, let address = try? SocketAddress(host: "127.0.0.1", port: port) else { return true }
        guard let listener = try? Socket.listenTCP(on: address) else { return false }
        Socket.close(listener)
        guard udp else { return true }
        guard let socket = try? Socket.bindUDP(on: address) else { return false }
        Socket.close(socket)
        return true
    }

    /// The `listening …` line, the URLs to look at and what comes next.
    private static func header(_ server: Server, fixes: Int, speed: Double?, span: Int64) -> String {
        let api = "http://127.0.0.1:\(server.httpPort)"
        var text = server.listeningLine + "\n"
        text += "  alerts, live (SSE):  curl -N \(api)/alerts/stream\n"
        text += "  alerts, pages:       \(api)/alerts?since=0&limit=100\n"
        text += "  vehicles:            \(api)/vehicles\n"
        text += "  metrics:             \(api)/metrics\n"
        let pace: String
        if let speed {
            let seconds = Double(span) / 1000 / speed
            pace =
                "at ×\(speed == speed.rounded() ? String(Int(speed)) : String(speed)) (about "
                + DemoAlertLine.span(seconds) + ")"
        } else {
            pace = "as fast as possible"
        }
        text += "replaying \(fixes) fixes \(pace) into tcp://127.0.0.1:\(server.ingestPort); Ctrl-C stops\n"
        text += "alerts as they happen (event time, vehicle, type, what happened):\n"
        return text
    }

    /// Waits until every fix sent is accounted for by the server and every alert it raised was seen (at most
    /// 20 s: the counters are published every 100 ms).
    private static func settle(_ server: Server, sent: Int, observer: DemoObserver) {
        for _ in 0 ..< 1000 {
            let statistics = server.statistics()
            if statistics.decoded + statistics.rejected >= sent, statistics.pipeline.offered >= statistics.decoded,
                observer.alertCount >= statistics.pipeline.alerts.reduce(0, +)
            {
                return
            }
            usleep(20_000)
        }
    }

    /// What was sent, received, filtered and raised.
    private static func summary(
        _ server: Server,
        result: ReplayResult,
        observer: DemoObserver,
        interrupted: Bool
    ) -> String {
        let statistics = server.statistics()
        let pipeline = statistics.pipeline
        var text = "\n"
        text += interrupted ? "replay stopped: " : "replay done: "
        text += "\(result.sent) fixes sent in \(String(format1: result.seconds)) s\n"
        text += "server: \(statistics.decoded) fixes received, \(pipeline.processed) processed, "
        text += "\(pipeline.rejected) filtered"
        let reasons = FilterReason.allCases.filter { pipeline[$0] > 0 }.map { "\($0.name) \(pipeline[$0])" }
        text += reasons.isEmpty ? "\n" : " (" + reasons.joined(separator: ", ") + ")\n"
        let counts = observer.countsByType.map { "\($0.type.name) \($0.count)" }
        text += "alerts: \(observer.alertCount)" + (counts.isEmpty ? "" : " (" + counts.joined(separator: ", ") + ")")
        return text + "\n"
    }

    /// Waits for SIGINT or SIGTERM, or for `notifier` when given. Returns whether a signal came.
    private static func waitForSignal(_ signals: SignalFD, or notifier: EventNotifier?) -> Bool {
        var descriptors = [pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0)]
        if let notifier { descriptors.append(pollfd(fd: notifier.fd, events: Int16(POLLIN), revents: 0)) }
        while true {
            _ = poll(&descriptors, nfds_t(descriptors.count), -1)
            if let signal = try? signals.read(), signal == Signals.interrupt || signal == Signals.terminate {
                return true
            }
            if let notifier, descriptors[1].revents != 0, notifier.drain() > 0 { return false }
        }
    }
}
