import FixstreamNet
import FixstreamWire

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The device ingest thread: one epoll loop over the TCP listener, the UDP socket and every device connection.
///
/// Bytes are decoded where they are read (no hop between threads for raw bytes) and the fixes go straight into
/// the shard rings. A full ring pauses the connection that fed it (TCP backpressure: the kernel buffer fills and
/// the device slows down) or the UDP socket (datagrams wait in its kernel buffer, which drops them, uncounted by
/// us, once it is full); a fix that still meets a full ring is dropped and counted.
final class IngestLoop {
    private static let listenerToken: UInt64 = 1
    private static let datagramToken: UInt64 = 2
    private static let stopToken: UInt64 = 3

    private let listener: Int32
    private let datagramSocket: Int32
    private let limits: ServerLimits
    private let control: ServerControl
    private let published: Published<IngestCounters>
    private let epoll: Epoll
    private var ports: ShardPorts
    private var connections = ConnectionSlots<DeviceConnection>()
    private var blockedSlots: [Int] = []
    private var perHost: [SocketAddress.Host: Int] = [:]
    private var counters = IngestCounters()
    private var fixes: [Fix] = []
    private let readBuffer: UnsafeMutableRawBufferPointer
    private let datagrams: DatagramBatchReceiver
    private var datagramDecoder: FixDecoder
    /// The UDP socket is out of epoll because the rings are full (see ``receiveDatagrams()``).
    private var datagramsPaused = false
    private var listenerPause = ListenerPause()

    init(
        listener: Int32,
        datagramSocket: Int32,
        limits: ServerLimits,
        ports: ShardPorts,
        control: ServerControl,
        published: Published<IngestCounters>
    ) throws {
        self.listener = listener
        self.datagramSocket = datagramSocket
        self.limits = limits
        self.ports = ports
        self.control = control
        self.published = published
        epoll = try Epoll(capacity: 512)
        try epoll.add(listener, events: .readable, token: Self.listenerToken)
        try epoll.add(datagramSocket, events: .readable, token: Self.datagramToken)
        try epoll.add(control.notifier.fd, events: .readable, token: Self.stopToken)
        readBuffer = .allocate(byteCount: limits.readChunk, alignment: 16)
        datagrams = DatagramBatchReceiver(capacity: 64, maximumDatagramSize: min(limits.readChunk, 65_507))
        datagramDecoder = Self.makeDecoder(limits)
        fixes.reserveCapacity(4096)
    }

    deinit {
        readBuffer.deallocate()
    }

    private static func makeDecoder(_ limits: ServerLimits) -> FixDecoder {
        FixDecoder(format: .auto, maxLineLength: limits.maxLineLength, maxObjectLength: limits.maxObjectLength)
    }

    /// The thread body: serves until stopped, then flushes every connection into the shards and returns.
    func run() {
        var lastSweep = Self.milliseconds()
        var lastPublish = lastSweep
        while !control.isStopping {
            let timeout: Int32 = blockedSlots.isEmpty && !datagramsPaused ? 100 : 1
            let count = (try? epoll.wait(timeoutMilliseconds: timeout)) ?? 0
            for index in 0 ..< count {
                let token = epoll.token(at: index)
                switch token {
                case Self.listenerToken: acceptAll()
                case Self.datagramToken: receiveDatagrams()
                case Self.stopToken: _ = control.notifier.drain()
                default: serve(token: token, events: epoll.events(at: index))
                }
            }
            if !blockedSlots.isEmpty { retryBlocked() }
            ports.ringFed()
            resumeDatagrams()
            let now = Self.milliseconds()
            listenerPause.resume(epoll: epoll, now: now)
            if now - lastSweep >= 1000 {
                sweepIdle(now: now)
                lastSweep = now
            }
            if now - lastPublish >= 100 {
                published.publish(counters)
                lastPublish = now
            }
        }
        shutdown()
    }

    // MARK: TCP

    private func acceptAll() {
        while true {
            let accepted: (fd: Int32, peer: SocketAddress)?
            do {
                accepted = try Socket.accept(listener)
            } catch {
                counters.count(.acceptFailed)
                if ListenerPause.calls(for: error) {
                    listenerPause.pause(listener, token: Self.listenerToken, epoll: epoll, now: Self.milliseconds())
                }
                return
            }
            guard let (fd, peer) = accepted else { return }
            let host = peer.hostKey
            if counters.openConnections >= limits.maxConnections {
                counters.count(.connectionLimit)
                Socket.close(fd)
                continue
            }
            if perHost[host, default: 0] >= limits.maxConnectionsPerAddress {
                counters.count(.addressLimit)
                Socket.close(fd)
                continue
            }
            let (slot, token) = connections.reserve()
            do {
                try epoll.add(fd, events: [.readable, .readHangup], token: token)
            } catch {
                Socket.close(fd)
                connections.release(slot)
                counters.count(.acceptFailed)
                continue
            }
            connections.fill(
                slot,
                with: DeviceConnection(
                    fd: fd,
                    host: host,
                    decoder: Self.makeDecoder(limits),
                    lastActivity: Self.milliseconds()
                )
            )
            perHost[host, default: 0] += 1
            counters.openConnections += 1
            counters.acceptedConnections += 1
        }
    }

    private func serve(token: UInt64, events: EpollEvents) {
        guard let slot = connections.slot(for: token), let connection = connections[slot], !connection.closed,
            !connection.paused
        else { return }
        let result: Socket.ReadResult
        do {
            result = try Socket.read(connection.fd, into: readBuffer)
        } catch {
            return close(slot)
        }
        switch result {
        case .bytes(let count):
            let received = MonotonicClock.nanoseconds()
            connections[slot]!.lastActivity = Int64(received / 1_000_000)
            connections[slot]!.decoder.decode(UnsafeRawBufferPointer(rebasing: readBuffer[0 ..< count]), into: &fixes)
            connections[slot]!.decoder.drainStats(into: &counters.tcp)
            enqueue(slot: slot, received: received)
        case .endOfFile:
            close(slot)
        case .connectionReset:
            counters.count(.reset)
            close(slot)
        case .wouldBlock:
            break
        }
    }

    /// Queues the fixes in `fixes` for `slot`'s connection, in order; what does not fit waits in the connection,
    /// which stops being read until it has been queued.
    private func enqueue(slot: Int, received: UInt64) {
        defer { fixes.removeAll(keepingCapacity: true) }
        let wasBlocked = connections[slot]!.hasPending
        var index = 0
        while !wasBlocked && index < fixes.count {
            guard ports.push(IngestItem(fix: fixes[index], received: received)) else { break }
            counters.fixesBySource[Int(fixes[index].source.rawValue)] += 1
            index += 1
        }
        guard index < fixes.count else { return }
        for rest in fixes[index...] {
            connections[slot]!.pending.append(IngestItem(fix: rest, received: received))
        }
        if !connections[slot]!.closed && !connections[slot]!.paused {
            try? epoll.remove(connections[slot]!.fd)
            connections[slot]!.paused = true
        }
        if !wasBlocked { blockedSlots.append(slot) }
    }

    private func retryBlocked() {
        // Taken out first: close() below may list a slot again, and that must survive this pass.
        let slots = blockedSlots
        blockedSlots.removeAll(keepingCapacity: true)
        for slot in slots {
            guard var connection = connections[slot] else { continue }
            while connection.hasPending, ports.push(connection.pending[connection.pendingStart]) {
                counters.fixesBySource[Int(connection.pending[connection.pendingStart].fix.source.rawValue)] += 1
                connection.pendingStart += 1
            }
            if connection.hasPending {
                connections[slot] = connection
                blockedSlots.append(slot)
                continue
            }
            connection.pending.removeAll()
            connection.pendingStart = 0
            if connection.closed {
                connections.release(slot)
                continue
            }
            connection.paused = false
            connections[slot] = connection
            do {
                try epoll.add(
                    connection.fd,
                    events: [.readable, .readHangup],
                    token: connections.token(slot)
                )
            } catch {
                close(slot)
            }
        }
    }

    /// Closes the socket and flushes the decoder's last epoch; the slot is freed once its fixes are queued.
    private func close(_ slot: Int) {
        guard var connection = connections[slot], !connection.closed else { return }
        if !connection.paused { try? epoll.remove(connection.fd) }
        Socket.close(connection.fd)
        connection.closed = true
        perHost[connection.host, default: 1] -= 1
        if perHost[connection.host] == 0 { perHost[connection.host] = nil }
        counters.openConnections -= 1
        connection.decoder.finish(into: &fixes)
        connection.decoder.drainStats(into: &counters.tcp)
        connections[slot] = connection
        enqueue(slot: slot, received: MonotonicClock.nanoseconds())
        if !connections[slot]!.hasPending {
            connections.release(slot)
        }
    }

    private func sweepIdle(now: Int64) {
        for slot in connections.indices {
            guard let connection = connections[slot], !connection.closed, !connection.paused else { continue }
            if now - connection.lastActivity > limits.idleTimeout {
                counters.count(.idleTimeout)
                close(slot)
            }
        }
    }

    // MARK: UDP

    /// Fixes per datagram that the rings must have room for before a datagram is taken in: a datagram that
    /// carries more (a full one carries 10 in the benchmark) may still meet a full ring and be dropped, counted.
    private static let roomPerDatagram = 16

    /// Reads the UDP socket while the rings have room. When they have none, the socket leaves epoll and the
    /// datagrams wait in the kernel's receive buffer (far deeper than a ring) until the shards catch up.
    private func receiveDatagrams() {
        // A bounded number of batches per wake-up, so TCP connections are not starved by a UDP flood.
        for _ in 0 ..< 16 {
            guard let limit = datagramLimit() else { return pauseDatagrams() }
            let count = receiveBatch(limit: limit)
            if count < min(limit, datagrams.capacity) { return }
        }
    }

    /// How many datagrams the rings have room for now, or nil for none. A ring that is empty but smaller than
    /// one datagram's share still takes one at a time.
    private func datagramLimit() -> Int? {
        let room = ports.room
        let limit = room / Self.roomPerDatagram
        if limit > 0 { return limit }
        return room > 0 && room == ports.capacity ? 1 : nil
    }

    private func pauseDatagrams() {
        guard !datagramsPaused else { return }
        try? epoll.remove(datagramSocket)
        datagramsPaused = true
    }

    /// Puts the UDP socket back into epoll once the rings have room again.
    private func resumeDatagrams() {
        guard datagramsPaused, datagramLimit() != nil else { return }
        do {
            try epoll.add(datagramSocket, events: .readable, token: Self.datagramToken)
            datagramsPaused = false
        } catch {
            // Tried again on the next round.
        }
    }

    /// Reads up to `limit` datagrams in one call, decodes them and stages their fixes. Returns how many were read.
    private func receiveBatch(limit: Int) -> Int {
        let count: Int
        do {
            count = try datagrams.receive(from: datagramSocket, limit: limit)
        } catch {
            return 0
        }
        guard count > 0 else { return 0 }
        let received = MonotonicClock.nanoseconds()
        counters.udpDatagrams += count
        for index in 0 ..< count {
            if datagrams.isTruncated(at: index) {
                counters.count(.datagramTruncated)
                continue
            }
            datagramDecoder.decode(datagrams.datagram(at: index), into: &fixes)
            datagramDecoder.endDatagram(into: &fixes)
        }
        datagramDecoder.drainStats(into: &counters.udp)
        for index in fixes.indices {
            if ports.stage(IngestItem(fix: fixes[index], received: received)) {
                counters.fixesBySource[Int(fixes[index].source.rawValue)] += 1
            } else {
                counters.queueDrops += 1
                counters.count(.queueFull)
            }
        }
        fixes.removeAll(keepingCapacity: true)
        // A running shard starts on this batch while the next is read and decoded; a sleeping one is woken
        // once, at the end of the round.
        ports.publish()
        return count
    }

    /// At shutdown: reads what the kernel already holds, waiting for room in the rings, for at most `budget`
    /// milliseconds.
    private func drainDatagrams(for budget: Int64) {
        let deadline = Self.milliseconds() + budget
        while Self.milliseconds() < deadline {
            guard let limit = datagramLimit() else {
                ports.ringFed()
                usleepMilliseconds(1)
                continue
            }
            if receiveBatch(limit: limit) == 0 { return }
        }
    }

    // MARK: Shutdown

    private func shutdown() {
        // Connections the kernel already completed are devices that already sent: take them in before closing.
        acceptAll()
        if !listenerPause.isPaused(listener) { try? epoll.remove(listener) }
        Socket.close(listener)
        if !datagramsPaused { try? epoll.remove(datagramSocket) }
        drainDatagrams(for: 1_000)
        Socket.close(datagramSocket)
        drainOpenConnections(for: 2_000)
        for slot in connections.indices where connections[slot]?.closed == false {
            close(slot)
        }
        while !blockedSlots.isEmpty {
            retryBlocked()
            ports.ringFed()
            if !blockedSlots.isEmpty { usleepMilliseconds(1) }
        }
        ports.ringFed()
        published.publish(counters)
    }

    /// Reads what devices already sent (bytes in the kernel's buffers) before their connections are closed, for
    /// at most `budget` milliseconds: a graceful stop loses nothing that reached us.
    private func drainOpenConnections(for budget: Int64) {
        let deadline = Self.milliseconds() + budget
        var progress = true
        while progress && Self.milliseconds() < deadline {
            progress = false
            for slot in connections.indices {
                guard let connection = connections[slot], !connection.closed else { continue }
                if connection.hasPending {
                    progress = true  // still queueing; read more once it has gone through
                    continue
                }
                if connection.paused {
                    connections[slot]!.paused = false  // out of epoll already; reading directly from here on
                }
                readAvailable(slot: slot, into: &progress)
            }
            if !blockedSlots.isEmpty { retryBlocked() }
            ports.ringFed()
            if progress && !blockedSlots.isEmpty { usleepMilliseconds(1) }
        }
    }

    /// Reads a connection until the kernel has nothing more for now or a shard's queue is full.
    private func readAvailable(slot: Int, into progress: inout Bool) {
        while let connection = connections[slot], !connection.closed, !connection.hasPending {
            let result = try? Socket.read(connection.fd, into: readBuffer)
            guard case .bytes(let count) = result else { return }
            progress = true
            let received = MonotonicClock.nanoseconds()
            connections[slot]!.decoder.decode(UnsafeRawBufferPointer(rebasing: readBuffer[0 ..< count]), into: &fixes)
            connections[slot]!.decoder.drainStats(into: &counters.tcp)
            enqueue(slot: slot, received: received)
        }
    }

    private func usleepMilliseconds(_ milliseconds: Int) {
        var request = timespec(tv_sec: 0, tv_nsec: milliseconds * 1_000_000)
        nanosleep(&request, nil)
    }

    private static func milliseconds() -> Int64 {
        Int64(MonotonicClock.nanoseconds() / 1_000_000)
    }
}
