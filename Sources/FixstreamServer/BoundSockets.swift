import FixstreamNet

/// The listening sockets of a server, bound before any thread starts so that a port in use is reported at once.
struct BoundSockets {
    let ingestTCP: Int32
    let ingestUDP: Int32
    let osmandTCP: Int32
    let httpTCP: Int32
    let ingestPort: UInt16
    let osmandPort: UInt16
    let httpPort: UInt16

    init(_ config: ServerConfig) throws {
        var opened: [Int32] = []
        var bound = false
        defer { if !bound { opened.forEach(Socket.close) } }
        let ingest = try Self.address(config.listen, config.ingestPort)
        ingestTCP = try Self.labelled("ingest TCP", ingest) { try Socket.listenTCP(on: ingest, backlog: 4096) }
        opened.append(ingestTCP)
        ingestPort = try Socket.localAddress(ingestTCP).port
        // UDP shares the TCP port number (the resolved one when 0 was asked for).
        let datagram = try Self.address(config.listen, ingestPort)
        ingestUDP = try Self.labelled("ingest UDP", datagram) {
            let fd = try Socket.bindUDP(on: datagram)
            do {
                try Socket.raiseReceiveBuffer(fd, bytes: config.limits.udpReceiveBuffer)
            } catch {
                Socket.close(fd)
                throw error
            }
            return fd
        }
        opened.append(ingestUDP)
        let osmand = try Self.address(config.listen, config.osmandPort)
        osmandTCP = try Self.labelled("OsmAnd", osmand) { try Socket.listenTCP(on: osmand, backlog: 1024) }
        opened.append(osmandTCP)
        osmandPort = try Socket.localAddress(osmandTCP).port
        let http = try Self.address(config.apiHost, config.httpPort)
        guard config.hasTokens || http.host.isLoopback else {
            throw ServerError(
                "refusing to open the API on \(config.apiHost) without tokens: anyone who can reach it could change fences and trips; set read-token and admin-token in the config file, or keep the API on loopback with --http-listen 127.0.0.1"
            )
        }
        httpTCP = try Self.labelled("HTTP", http) { try Socket.listenTCP(on: http, backlog: 1024) }
        opened.append(httpTCP)
        httpPort = try Socket.localAddress(httpTCP).port
        bound = true
    }

    private static func address(_ host: String, _ port: UInt16) throws -> SocketAddress {
        do {
            return try SocketAddress(host: host, port: port)
        } catch {
            throw ServerError("invalid listen address '\(host)': a numeric IPv4 or IPv6 address")
        }
    }

    private static func labelled(_ what: String, _ address: SocketAddress, _ body: () throws -> Int32) throws -> Int32 {
        do {
            return try body()
        } catch {
            throw ServerError("cannot listen on \(address) (\(what)): \(error)")
        }
    }
}
