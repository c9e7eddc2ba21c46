import FixstreamLoad
import FixstreamNet
import FixstreamServer
import FixstreamWire
@preconcurrency import Foundation

/// `fixstream-bench e2e`: a real server on loopback, driven the way `fixstream replay` drives it.
///
/// Every phase starts a fresh server (fresh vehicle state) on free ports and prints JSON lines like the other
/// benchmarks. Payloads are encoded before the clock starts, so the figures measure the server, not the encoder.
struct EndToEndBench {
    let traces: [[Fix]]
    let directory: URL

    init() throws {
        var fixes: [Fix] = []
        for name in ["20100403_Z205_Switzerland", "20100411_Geko_Regensburg"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: "Traces/\(name).txt"))
            var decoder = FixDecoder(format: .nmea, vehicle: VehicleID(name))
            data.withUnsafeBytes { decoder.decode($0, into: &fixes) }
            decoder.finish(into: &fixes)
        }
        traces = Replayer.traces(from: fixes)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        raiseFileLimit()
    }

    /// Runs the phases `filter` names; `arguments` after the filter are the rates for `e2e.udp` (fixes/s).
    func run(filter: String?, arguments: [String] = []) throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        func wanted(_ name: String) -> Bool { filter.map { name.contains($0) || $0 == "e2e" } ?? true }
        if wanted("e2e.tcp") { try tcpThroughput() }
        if wanted("e2e.udp.decode") { udpDecode() }
        if wanted("e2e.udp") && filter != "e2e.udp.decode" {
            try udpThroughput(rates: arguments.compactMap(Double.init))
        }
        if wanted("e2e.latency") { try latencyAtFixedLoad() }
        if wanted("e2e.connections") { try manyConnections() }
    }

    // MARK: Phases

    /// Sustained fixes/s over TCP with zero drops: 8 connections, 400 vehicles, as fast as the server takes them.
    private func tcpThroughput() throws {
        var options = ReplayOptions()
        options.vehicles = 400
        options.connections = 8
        let streams = Replayer(traces: traces, options: options, target: .tcp(try localhost(1))).encodedStreams()
        let total = streams.reduce(0) { $0 + $1.count { $0 == 0x0A } }
        var rates: [Double] = []
        for _ in 0 ..< 3 {
            let server = try start(shards: 1)
            let address = try localhost(server.ingestPort)
            let start = MonotonicClock.nanoseconds()
            let senders = try streams.map { stream in
                let fd = try Socket.connectTCP(to: address)
                return try spawnThread(name: "bench-tcp") {
                    Self.writeAll(fd, stream)
                    Socket.close(fd)
                }
            }
            let done = waitUntil(server) { $0.processed + $0.filtered >= total }
            let seconds = Double(done - start) / 1e9
            senders.forEach { $0.join() }
            let statistics = server.statistics()
            server.stop()
            guard statistics.processed + statistics.filtered == total else {
                print(#"{"name":"e2e.tcp","error":"lost fixes","sent":\#(total),"processed":\#(statistics.processed)}"#)
                return
            }
            rates.append(Double(total) / seconds)
        }
        rates.sort()
        report(
            "e2e.tcp",
            "fixes/s",
            rates[1],
            extra: #""fixes":\#(total),"connections":8,"vehicles":400,"drops":0,"runs":\#(rates.map { Int($0) })"#
        )
    }

    /// UDP: the highest rate (fixes/s, 10 lines per datagram, paced for one second) that a bare recvmmsg receiver
    /// takes without loss, next to the highest the server processes without loss; rates as the sender achieved
    /// them, which on a busy machine can fall short of the pace asked for. At each rate
    /// the bare receiver and then a fresh server get the very same datagrams; `rates` replaces the ladder (for
    /// profiling one rate). Each step also prints the rate the sender really achieved and the CPU time per fix of
    /// the sender, the receiver and the server's ingest and shard threads, which a loaded machine disturbs much
    /// less than it disturbs loss.
    private func udpThroughput(rates chosen: [Double]) throws {
        var options = ReplayOptions()
        options.vehicles = 600
        options.linesPerDatagram = 10
        let datagrams = Replayer(traces: traces, options: options, target: .udp(try localhost(1))).encodedDatagrams()
        let rates =
            chosen.isEmpty
            ? [500_000, 1_000_000, 1_500_000, 2_000_000, 2_250_000, 2_500_000, 2_750_000, 3_000_000, 3_500_000]
            : chosen
        var bareBest: (rate: Double, sent: Double) = (0, 0)
        var serverBest: (rate: Double, sent: Double) = (0, 0)
        var serverFirstLoss: String = "none"
        for rate in rates {
            let count = min(datagrams.count, Int(rate / 10))
            let slice = Array(datagrams[0 ..< count])
            let lines = slice.reduce(0) { $0 + $1.count { $0 == 0x0A } }
            let bare = try bareReceive(slice, rate: rate)
            let bareSent = Double(lines) / bare.sendSeconds
            if bare.received == lines && bareSent > bareBest.sent { bareBest = (rate, bareSent) }
            let server = try start(shards: 1)
            let before = ThreadCPU.snapshot()
            let send = try Self.blast(slice, to: try localhost(server.ingestPort), rate: rate)
            _ = waitUntil(server, timeout: 2) { $0.processed >= lines }
            usleep(150_000)
            let statistics = server.statistics()
            let used = ThreadCPU.used(from: before, to: ThreadCPU.snapshot())
            server.stop()
            if statistics.processed == lines && Double(lines) / send.seconds > serverBest.sent {
                serverBest = (rate, Double(lines) / send.seconds)
            } else if statistics.processed != lines && serverFirstLoss == "none" {
                serverFirstLoss =
                    "\(Int(rate)): \(statistics.processed)/\(lines) (queue drops \(statistics.queueDrops))"
            }
            func perFix(_ nanoseconds: UInt64) -> String { String(format: "%.0f", Double(nanoseconds) / Double(lines)) }
            report(
                "e2e.udp.step",
                "fixes/s",
                rate,
                extra:
                    #""lines":\#(lines),"bare":{"received":\#(bare.received),"sent_per_s":\#(Int(Double(lines) / bare.sendSeconds)),"cpu_ns_per_fix":{"sender":\#(perFix(bare.senderCPU)),"receiver":\#(perFix(bare.receiverCPU))}},"server":{"processed":\#(statistics.processed),"queue_drops":\#(statistics.queueDrops),"sent_per_s":\#(Int(Double(lines) / send.seconds)),"cpu_ns_per_fix":{"sender":\#(perFix(send.cpu)),"ingest":\#(perFix(used["fs-ingest"] ?? 0)),"shard":\#(perFix(used["fs-shard-0"] ?? 0))}}"#
            )
            if bare.received < lines && statistics.processed < lines { break }
        }
        report(
            "e2e.udp.bare_receiver",
            "fixes/s",
            bareBest.sent,
            extra:
                #""method":"highest rate the sender achieved with no loss, paced for 1 s","paced":\#(Int(bareBest.rate))"#
        )
        report(
            "e2e.udp",
            "fixes/s",
            serverBest.sent,
            extra:
                #""ratio_to_bare":\#(String(format: "%.2f", serverBest.sent / max(1, bareBest.sent))),"paced":\#(Int(serverBest.rate)),"first_loss":"\#(serverFirstLoss)""#
        )
    }

    /// The UDP phase's datagrams decoded the way the ingest thread decodes them, on one thread without sockets:
    /// what decoding alone costs per fix (the best of five passes over 3.3 M fixes).
    private func udpDecode() {
        var options = ReplayOptions()
        options.vehicles = 600
        options.linesPerDatagram = 10
        guard let target = try? localhost(1) else { return }
        let datagrams = Replayer(traces: traces, options: options, target: .udp(target)).encodedDatagrams()
        var best = Double.infinity
        var decoded = 0
        for _ in 0 ..< 5 {
            var decoder = FixDecoder(format: .auto, maxLineLength: 1024, maxObjectLength: 64 * 1024)
            var fixes: [Fix] = []
            fixes.reserveCapacity(4096)
            decoded = 0
            let start = MonotonicClock.nanoseconds()
            for datagram in datagrams {
                datagram.withUnsafeBytes { decoder.decode($0, into: &fixes) }
                decoder.endDatagram(into: &fixes)
                decoded += fixes.count
                fixes.removeAll(keepingCapacity: true)
            }
            best = min(best, Double(MonotonicClock.nanoseconds() - start))
        }
        report(
            "e2e.udp.decode",
            "ns/fix",
            best / Double(max(1, decoded)),
            extra: #""fixes":\#(decoded),"fixes_per_s":\#(Int(Double(decoded) / best * 1e9))"#
        )
    }

    /// Lines a counting-only receiver got from `datagrams` sent at `rate` lines/s, how long sending took, and the
    /// CPU time of the sender and of the receiver.
    private func bareReceive(
        _ datagrams: [[UInt8]],
        rate: Double
    ) throws -> (received: Int, sendSeconds: Double, senderCPU: UInt64, receiverCPU: UInt64) {
        let fd = try Socket.bindUDP(on: try localhost(0))
        defer { Socket.close(fd) }
        try Socket.raiseReceiveBuffer(fd, bytes: ServerLimits().udpReceiveBuffer)  // as the server's
        let port = try Socket.localAddress(fd).port
        try Socket.setNonBlocking(fd, false)
        let received = ReceivedCounter()
        let receiver = try spawnThread(name: "bench-bare-rx") {
            let batch = DatagramBatchReceiver(capacity: 64, maximumDatagramSize: 2048)
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            while true {
                guard let count = try? batch.receive(from: fd, wait: true), count > 0 else { break }
                var lines = 0
                for index in 0 ..< count { lines += batch.datagram(at: index).count { $0 == 0x0A } }
                received.add(lines, at: MonotonicClock.nanoseconds())
            }
            received.setCPU(Self.threadCPU())
        }
        let send = try Self.blast(datagrams, to: try localhost(port), rate: rate)
        receiver.join()
        return (received.snapshot.count, send.seconds, send.cpu, received.cpu)
    }

    /// Latency percentiles at 100,000 fixes/s offered over 8 TCP connections (1,000 vehicles).
    private func latencyAtFixedLoad() throws {
        let server = try start(shards: 2)
        var options = ReplayOptions()
        options.speed = nil
        options.rate = 100_000
        options.vehicles = 1_000
        options.connections = 8
        options.duration = 6
        options.staggerWindow = 1
        let replayer = Replayer(traces: traces, options: options, target: .tcp(try localhost(server.ingestPort)))
        let warmUp = try spawnThread(name: "bench-reset") {
            usleep(1_000_000)
        }
        warmUp.join()
        server.resetLatency()
        let result = try replayer.run()
        usleep(300_000)
        let statistics = server.statistics()
        server.stop()
        report(
            "e2e.latency",
            "p99_ms",
            statistics.latencyP99 * 1000,
            extra:
                #""p50_ms":\#(ms(statistics.latencyP50)),"p999_ms":\#(ms(statistics.latencyP999)),"offered_fixes_per_s":\#(Int(result.rate)),"fixes":\#(statistics.latencyCount)"#
        )
    }

    /// 10,000 device connections, each sending one fix a second, for 10 seconds. The devices are a second
    /// process (this benchmark run as a replay client), so neither side runs out of descriptors.
    private func manyConnections() throws {
        let server = try start(shards: 2) {
            $0.limits.maxConnections = 20_000
            $0.limits.maxConnectionsPerAddress = 20_000
        }
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        client.arguments = ["--replay-client", String(server.ingestPort), "10000", "10000", "12"]
        let output = Pipe()
        client.standardOutput = output
        try client.run()
        // Measure the steady state: from when every device is connected, for the rest of the run.
        _ = waitUntil(server, timeout: 30) { $0.openConnections >= 10_000 }
        usleep(1_000_000)
        server.resetLatency()
        let before = server.statistics().processed
        let start = MonotonicClock.nanoseconds()
        client.waitUntilExit()
        let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
        usleep(300_000)
        let statistics = server.statistics()
        server.stop()
        let clientLine =
            String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").last.map(String.init) ?? ""
        report(
            "e2e.connections",
            "p99_ms",
            statistics.latencyP99 * 1000,
            extra:
                #""connections":10000,"p50_ms":\#(ms(statistics.latencyP50)),"p999_ms":\#(ms(statistics.latencyP999)),"fixes_per_s":\#(Int(Double(statistics.processed - before) / seconds)),"measured_fixes":\#(statistics.latencyCount),"client":\#(clientLine.isEmpty ? "null" : clientLine)"#
        )
    }

    /// The device side of ``manyConnections()``: replays the Swiss drive at real time over many connections.
    static func replayClient(_ arguments: [String]) throws {
        guard arguments.count == 4, let port = UInt16(arguments[0]), let vehicles = Int(arguments[1]),
            let connections = Int(arguments[2]), let duration = Double(arguments[3])
        else { throw CocoaError(.featureUnsupported) }
        let bench = try EndToEndBench()
        var options = ReplayOptions()
        options.speed = 1
        options.vehicles = vehicles
        options.connections = connections
        options.duration = duration
        options.staggerWindow = 1
        let swiss = bench.traces.filter { $0[0].vehicle.description.contains("Switzerland") }
        let result = try Replayer(
            traces: swiss,
            options: options,
            target: .tcp(try SocketAddress(host: "127.0.0.1", port: port))
        ).run()
        print(
            #"{"sent":\#(result.sent),"seconds":\#(String(format: "%.2f", result.seconds)),"rate":\#(Int(result.rate))}"#
        )
    }

    // MARK: Helpers

    private func start(shards: Int, configure: (inout ServerConfig) -> Void = { _ in }) throws -> Server {
        var config = ServerConfig(cores: shards)
        // A directory of its own: a server restores the vehicles an earlier phase checkpointed, and would then
        // filter the same fixes sent again as old ones.
        config.dataDirectory = directory.appendingPathComponent(UUID().uuidString).path
        config.alertsOut = "/dev/null"
        config.ingestPort = 0
        config.osmandPort = 0
        config.httpPort = 0
        config.limits.maxConnectionsPerAddress = 20_000
        configure(&config)
        return try Server.start(config)
    }

    private func localhost(_ port: UInt16) throws -> SocketAddress {
        try SocketAddress(host: "127.0.0.1", port: port)
    }

    /// Polls until `condition` holds (or `timeout` seconds pass); returns the monotonic time it first held.
    private func waitUntil(
        _ server: Server,
        timeout: Double = 60,
        _ condition: (Server.Statistics) -> Bool
    ) -> UInt64 {
        let limit = MonotonicClock.nanoseconds() + UInt64(timeout * 1e9)
        while MonotonicClock.nanoseconds() < limit {
            if condition(server.statistics()) { return MonotonicClock.nanoseconds() }
            usleep(2_000)
        }
        return MonotonicClock.nanoseconds()
    }

    private func report(_ name: String, _ unit: String, _ value: Double, extra: String) {
        print(#"{"name":"\#(name)","unit":"\#(unit)","value":\#(String(format: "%.3f", value)),\#(extra)}"#)
        fflush(stdout)
    }

    private func ms(_ seconds: Double) -> String { String(format: "%.3f", seconds * 1000) }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let end = min(buffer.count, offset + 256 * 1024)
                do {
                    offset += try Socket.write(fd, UnsafeRawBufferPointer(rebasing: buffer[offset ..< end])) ?? 0
                } catch {
                    return
                }
            }
        }
    }

    /// Sends every datagram with sendmmsg, 64 at a time, paced to `rate` lines per second (10 per datagram).
    /// Returns how long sending took (longer than planned when the sender cannot keep the pace) and the sending
    /// thread's CPU time, which includes the kernel's loopback delivery done on its behalf.
    private static func blast(
        _ datagrams: [[UInt8]],
        to address: SocketAddress,
        rate: Double
    ) throws -> (seconds: Double, cpu: UInt64) {
        let fd = try Socket.connectUDP(to: address)
        defer { Socket.close(fd) }
        let sender = DatagramBatchSender(capacity: 64, maximumDatagramSize: 2048)
        var index = 0
        let cpuStart = threadCPU()
        let start = MonotonicClock.nanoseconds()
        while index < datagrams.count {
            let due = start + UInt64(Double(index * 10) / rate * 1e9)
            let now = MonotonicClock.nanoseconds()
            if due > now { usleep(UInt32((due - now) / 1000)) }
            let count = min(64, datagrams.count - index)
            for slot in 0 ..< count {
                datagrams[index + slot].withUnsafeBytes { sender.store($0, at: slot) }
            }
            var sent = 0
            while sent < count {
                sent += (try sender.send(to: fd, slots: sent ..< count)) ?? 0
            }
            index += count
        }
        let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
        return (seconds, threadCPU() - cpuStart)
    }

    /// The calling thread's CPU time in nanoseconds.
    private static func threadCPU() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    private func raiseFileLimit() {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }
}

/// Lines counted by the bare receiver, and when the last arrived.
final class ReceivedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var last: UInt64 = 0
    private var receiverCPU: UInt64 = 0

    func add(_ lines: Int, at time: UInt64) {
        lock.lock()
        count += lines
        last = time
        lock.unlock()
    }

    func setCPU(_ nanoseconds: UInt64) {
        lock.lock()
        receiverCPU = nanoseconds
        lock.unlock()
    }

    /// The receiving thread's CPU time, set when it ends.
    var cpu: UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return receiverCPU
    }

    var snapshot: (count: Int, last: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        return (count, last)
    }
}
