import FixstreamDeliver
import FixstreamDetect
import FixstreamHTTP
import FixstreamNet
import FixstreamPipeline
import FixstreamWire

/// The HTTP thread: the OsmAnd ingest port and the API port on one epoll loop.
///
/// OsmAnd reports are decoded on this thread and queued to their shard; the reply is 200 once queued, 400 with a
/// reason when the report is refused, 503 when the shard's queue is full (the app retries later, which is what
/// Traccar Client does). Requests are parsed in place from the connection's buffer; responses are written
/// without blocking, the rest when the socket is writable again.
final class HTTPLoop {
    private static let osmandToken: UInt64 = 1
    private static let apiToken: UInt64 = 2
    private static let stopToken: UInt64 = 3
    private static let commitsToken: UInt64 = 4
    private static let answersToken: UInt64 = 5
    /// An idle keep-alive connection is closed after this long, and a request must arrive whole within it.
    private static let keepAliveTimeout: Int64 = 60_000
    private static let partialRequestTimeout: Int64 = 10_000
    /// Responses waiting for a client that does not read: past this, its requests are not read (or answered).
    private static let maxPendingOutput = 256 * 1024

    private let osmandListener: Int32
    private let apiListener: Int32
    private let limits: ServerLimits
    private let control: ServerControl
    private let published: Published<IngestCounters>
    private let metrics: ServerMetrics
    private let epoll: Epoll
    private var ports: ShardPorts
    /// One parser per port: the API takes larger bodies (fence and trip documents) than OsmAnd reports.
    private var parser: HTTPRequestParser
    private var apiParser: HTTPRequestParser
    private let access: APIAccess
    private let controlPlane: (any ControlPlane)?
    private let feeds: AlertFeeds?
    private let commits: EventNotifier?
    /// A stream is behind the journal with room to send: poll instead of sleeping.
    private var feedsBehind = false
    private let exchange: StateExchange?
    private let doorbells: [Doorbell]
    private let live: LiveControl?
    private let deadLetters: DeadLetters?
    /// State questions waiting for shards, by ticket.
    private var tickets: [UInt64: PendingState] = [:]
    private var nextTicket: UInt64 = 1
    /// The token of the connection whose requests are being answered.
    private var currentToken: UInt64 = 0

    private struct PendingState {
        let token: UInt64
        let request: StateRequest
        let keepAlive: Bool
        /// False for `HEAD`.
        let includeBody: Bool
        /// For tracking: the number and its stop.
        let stop: String?
        var remaining: Int
        var answers: [StateAnswer] = []
    }
    private let osmand = OsmAndDecoder()
    private var connections = ConnectionSlots<HTTPConnection>()
    private var counters = IngestCounters()
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var listenerPause = ListenerPause()

    init(
        osmandListener: Int32,
        apiListener: Int32,
        limits: ServerLimits,
        ports: ShardPorts,
        control: ServerControl,
        published: Published<IngestCounters>,
        metrics: ServerMetrics,
        access: APIAccess,
        controlPlane: sending (any ControlPlane)?,
        feeds: sending AlertFeeds?,
        commits: EventNotifier?,
        exchange: StateExchange?,
        doorbells: [Doorbell],
        live: LiveControl?,
        deadLetters: sending DeadLetters?
    ) throws {
        self.osmandListener = osmandListener
        self.apiListener = apiListener
        self.limits = limits
        self.ports = ports
        self.control = control
        self.published = published
        self.metrics = metrics
        self.access = access
        self.controlPlane = controlPlane
        self.feeds = feeds
        self.commits = commits
        self.exchange = exchange
        self.doorbells = doorbells
        self.live = live
        self.deadLetters = deadLetters
        parser = HTTPRequestParser(
            maxHeaderBytes: min(16 * 1024, limits.maxHTTPRequest),
            maxBodyBytes: limits.maxHTTPRequest,
            maxRequestLine: min(8 * 1024, limits.maxHTTPRequest)
        )
        apiParser = HTTPRequestParser(
            maxHeaderBytes: 16 * 1024,
            maxBodyBytes: max(limits.maxHTTPRequest, limits.maxAPIBody),
            maxRequestLine: 8 * 1024
        )
        epoll = try Epoll(capacity: 256)
        try epoll.add(osmandListener, events: .readable, token: Self.osmandToken)
        try epoll.add(apiListener, events: .readable, token: Self.apiToken)
        try epoll.add(control.notifier.fd, events: .readable, token: Self.stopToken)
        if let commits { try epoll.add(commits.fd, events: .readable, token: Self.commitsToken) }
        if let exchange { try epoll.add(exchange.answered.fd, events: .readable, token: Self.answersToken) }
        readBuffer = .allocate(byteCount: 16 * 1024, alignment: 16)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// The thread body.
    func run() {
        var lastSweep = Self.milliseconds()
        var lastPublish = lastSweep
        while !control.isStopping {
            let count = (try? epoll.wait(timeoutMilliseconds: feedsBehind ? 0 : 100)) ?? 0
            var pumpFeeds = feedsBehind
            for index in 0 ..< count {
                switch epoll.token(at: index) {
                case Self.osmandToken: acceptAll(osmandListener, port: .osmand)
                case Self.apiToken: acceptAll(apiListener, port: .api)
                case Self.stopToken: _ = control.notifier.drain()
                case Self.commitsToken:
                    _ = commits?.drain()
                    pumpFeeds = true
                case Self.answersToken: deliverStateAnswers()
                case let token: serve(token: token, events: epoll.events(at: index))
                }
            }
            if pumpFeeds { pumpAllFeeds() }
            ports.ringFed()
            let now = Self.milliseconds()
            listenerPause.resume(epoll: epoll, now: now)
            if now - lastSweep >= 1000 {
                sweep(now: now)
                lastSweep = now
            }
            if now - lastPublish >= 100 {
                published.publish(counters)
                lastPublish = now
            }
        }
        for slot in connections.indices where connections[slot] != nil { close(slot) }
        Socket.close(osmandListener)
        Socket.close(apiListener)
        published.publish(counters)
    }

    // MARK: Connections

    private func acceptAll(_ listener: Int32, port: HTTPConnection.Port) {
        while true {
            let accepted: (fd: Int32, peer: SocketAddress)?
            do {
                accepted = try Socket.accept(listener)
            } catch {
                counters.count(.acceptFailed)
                if ListenerPause.calls(for: error) {
                    let token = listener == osmandListener ? Self.osmandToken : Self.apiToken
                    listenerPause.pause(listener, token: token, epoll: epoll, now: Self.milliseconds())
                }
                return
            }
            guard let (fd, _) = accepted else { return }
            guard counters.openConnections < limits.maxHTTPConnections else {
                counters.count(.connectionLimit)
                Socket.close(fd)
                continue
            }
            let (slot, token) = connections.reserve()
            do {
                try epoll.add(fd, events: [.readable, .readHangup], token: token)
            } catch {
                Socket.close(fd)
                connections.release(slot)
                continue
            }
            connections.fill(
                slot,
                with: HTTPConnection(
                    fd: fd,
                    port: port,
                    input: [UInt8](repeating: 0, count: 4096),
                    lastActivity: Self.milliseconds()
                )
            )
            counters.openConnections += 1
            counters.acceptedConnections += 1
        }
    }

    private func serve(token: UInt64, events: EpollEvents) {
        guard let slot = connections.slot(for: token) else { return }
        if events.contains(.error) || (events.contains(.hangup) && !events.contains(.readable)) {
            return close(slot)
        }
        if events.contains(.writable) {
            flush(slot)
            guard let connection = connections[slot] else { return }
            if connection.feed != nil { pumpFeed(slot) }
            // Output drained below the cap: answer requests that were held back.
            if connection.used > 0 && connection.interest.contains(.readable) { handleRequests(slot) }
            guard connections[slot] != nil else { return }
        }
        if connections[slot]?.interest.contains(.readable) == true
            && (events.contains(.readable) || events.contains(.readHangup))
        {
            read(slot)
        }
    }

    private func read(_ slot: Int) {
        guard var connection = connections[slot] else { return }
        // Room for the rest of a request up to the limit (plus its head), never more.
        let capacity =
            (connection.port == .api ? max(limits.maxHTTPRequest, limits.maxAPIBody) : limits.maxHTTPRequest)
            + 16 * 1024
        if connection.used == connection.input.count && connection.input.count < capacity {
            connection.input.append(
                contentsOf: repeatElement(0, count: min(connection.input.count, capacity - connection.input.count))
            )
        }
        let space = connection.input.count - connection.used
        guard space > 0 else {
            // Full and still incomplete: the parser would have refused an oversized head or body already.
            connections[slot] = connection
            guard !connection.closeAfterWrite else { return }
            counters.count(.badHTTPRequest)
            return fail(slot, HTTPError(.contentTooLarge, reason: "request_too_large"))
        }
        let result: Socket.ReadResult
        do {
            result = try connection.input.withUnsafeMutableBytes { bytes in
                try Socket.read(
                    connection.fd,
                    into: UnsafeMutableRawBufferPointer(rebasing: bytes[connection.used ..< connection.used + space])
                )
            }
        } catch {
            connections[slot] = connection
            return close(slot)
        }
        switch result {
        case .bytes(let count):
            connection.used += count
            connection.lastActivity = Self.milliseconds()
            connections[slot] = connection
            handleRequests(slot)
        case .endOfFile where connection.awaiting != nil:
            // The client sent its request and half-closed: it still gets the answer the shards are preparing.
            connection.peerClosed = true
            connections[slot] = connection
            flush(slot)
        case .endOfFile, .connectionReset:
            connections[slot] = connection
            close(slot)
        case .wouldBlock:
            connections[slot] = connection
        }
    }

    /// Parses and answers every complete request in the buffer (pipelining), then writes.
    private func handleRequests(_ slot: Int) {
        guard var connection = connections[slot] else { return }
        if connection.feed != nil {
            // A stream answers no more requests: what its client sends is read and dropped.
            connections[slot]!.used = 0
            return
        }
        // Waiting for the shards: later requests are answered after (responses keep the requests' order).
        guard connection.awaiting == nil else { return }
        currentToken = connections.token(slot)
        connections[slot] = nil  // take it out while we work on it (no copy-on-write of its buffers)
        var consumedTotal = 0
        var keepGoing = !connection.closeAfterWrite
        while keepGoing && connection.pendingOutput < Self.maxPendingOutput {
            let port = connection.port
            var expectsContinue = false
            let outcome = connection.input.withUnsafeBytes { bytes in
                let unread = UnsafeRawBufferPointer(rebasing: bytes[consumedTotal ..< connection.used])
                return port == .api
                    ? apiParser.parse(
                        unread,
                        bodyLimit: { [unowned self] request, buffer in
                            expectsContinue = request.expectsContinue && request.version == .http1_1
                            return apiBodyLimit(request, buffer)
                        }
                    )
                    : parser.parse(
                        unread,
                        bodyLimit: { [parser] request, _ in
                            expectsContinue = request.expectsContinue && request.version == .http1_1
                            return parser.maxBodyBytes
                        }
                    )
            }
            switch outcome {
            case .needMore:
                // A client that asked to be told before it sends its body (`Expect: 100-continue`, what curl does
                // for uploads over 1 KiB) is told once its head is accepted.
                if expectsContinue && !connection.continueSent {
                    HTTPResponseWriter.appendContinue(to: &connection.output)
                    connection.continueSent = true
                }
                keepGoing = false
            case .failure(let error):
                counters.count(.badHTTPRequest)
                counters.httpRequests += 1
                error.appendResponse(to: &connection.output, keepAlive: false)
                connection.closeAfterWrite = true
                keepGoing = false
            case .request(let request, let consumed):
                counters.httpRequests += 1
                connection.continueSent = false
                connection.input.withUnsafeBytes { bytes in
                    let buffer = UnsafeRawBufferPointer(rebasing: bytes[consumedTotal ..< connection.used])
                    respond(
                        to: request,
                        in: buffer,
                        port: connection.port,
                        output: &connection.output,
                        feed: &connection.feed,
                        awaiting: &connection.awaiting
                    )
                }
                if connection.feed != nil {
                    // The response is a stream from here on; the rest of the input is dropped.
                    consumedTotal = connection.used
                    connection.partialSince = 0
                    keepGoing = false
                    break
                }
                if connection.awaiting != nil {
                    // Answered when the shards reply (keep-alive or not is remembered with the ticket).
                    consumedTotal += consumed
                    keepGoing = false
                    break
                }
                if !request.keepAlive {
                    connection.closeAfterWrite = true
                    keepGoing = false
                }
                consumedTotal += consumed
            }
        }
        if consumedTotal > 0 {
            let remaining = connection.used - consumedTotal
            if remaining > 0 {
                connection.input.withUnsafeMutableBytes { bytes in
                    bytes.baseAddress!.copyMemory(from: bytes.baseAddress! + consumedTotal, byteCount: remaining)
                }
            }
            connection.used = remaining
        }
        connection.partialSince =
            connection.used > 0 ? (connection.partialSince == 0 ? Self.milliseconds() : connection.partialSince) : 0
        connections[slot] = connection
        flush(slot)
    }

    /// The largest body a request on the API port may send: a document only with an authorized `PUT` on a
    /// control path; every other request stays within the OsmAnd-sized limit, so an unauthenticated client cannot
    /// make the server hold megabytes.
    private func apiBodyLimit(_ request: HTTPRequest, _ buffer: UnsafeRawBufferPointer) -> Int {
        guard request.method == .put, controlPlane != nil,
            ControlRoutes.match(request.bytes(request.path, in: buffer)) != nil,
            access.decide(request.bytes(request.authorization, in: buffer), needs: .admin) == .allowed
        else { return limits.maxHTTPRequest }
        return max(limits.maxHTTPRequest, limits.maxAPIBody)
    }

    private func respond(
        to request: HTTPRequest,
        in buffer: UnsafeRawBufferPointer,
        port: HTTPConnection.Port,
        output: inout [UInt8],
        feed: inout AlertFeeds.Stream?,
        awaiting: inout UInt64?
    ) {
        switch port {
        case .osmand: respondOsmAnd(request, buffer, &output)
        case .api: respondAPI(request, buffer, &output, &feed, &awaiting)
        }
    }

    private func respondOsmAnd(_ request: HTTPRequest, _ buffer: UnsafeRawBufferPointer, _ output: inout [UInt8]) {
        guard request.method == .get || request.method == .post else {
            return HTTPError(.methodNotAllowed, reason: "use_get_or_post").appendResponse(
                to: &output,
                keepAlive: request.keepAlive
            )
        }
        let received = MonotonicClock.nanoseconds()
        let now = Timestamp(millisecondsSinceEpoch: WallClock.milliseconds())
        let query = request.bytes(request.query, in: buffer) ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let result = parser.withBody(of: request, in: buffer) { body in
            osmand.decode(query: query, body: body, now: now)
        }
        switch result {
        case .fix(let fix):
            guard ports.push(IngestItem(fix: fix, received: received)) else {
                counters.count(.queueFull)
                return HTTPError(.serviceUnavailable, reason: "queue_full").appendResponse(
                    to: &output,
                    keepAlive: request.keepAlive,
                    headers: ["Retry-After": "1"]
                )
            }
            counters.http.fixes += 1
            counters.fixesBySource[Int(fix.source.rawValue)] += 1
            HTTPResponseWriter.appendResponse(status: .ok, keepAlive: request.keepAlive, to: &output)
        case .rejected(let reason):
            counters.http.count(reason)
            HTTPError(.badRequest, reason: reason.name).appendResponse(to: &output, keepAlive: request.keepAlive)
        }
    }

    private func respondAPI(
        _ request: HTTPRequest,
        _ buffer: UnsafeRawBufferPointer,
        _ output: inout [UInt8],
        _ feed: inout AlertFeeds.Stream?,
        _ awaiting: inout UInt64?
    ) {
        let status = routeAPI(request, buffer, &output, &feed, &awaiting)
        // A state question is counted when answered.
        if awaiting == nil { counters.apiResponses[status.code, default: 0] += 1 }
    }

    private func routeAPI(
        _ request: HTTPRequest,
        _ buffer: UnsafeRawBufferPointer,
        _ output: inout [UInt8],
        _ feed: inout AlertFeeds.Stream?,
        _ awaiting: inout UInt64?
    ) -> HTTPStatus {
        let path = request.bytes(request.path, in: buffer)
        // Reads of state; writes to the same paths (`PUT /trips/{id}`) are the control plane's.
        if exchange != nil, request.method == .get || request.method == .head,
            let parsed = StateRequest.parse(path: path, query: request.bytes(request.query, in: buffer))
        {
            return routeState(parsed, request, buffer, &output, &awaiting)
        }
        if let feeds, path.elementsEqual("/alerts".utf8) || path.elementsEqual("/alerts/stream".utf8) {
            return routeFeed(feeds, stream: path.count > 7, request, buffer, &output, &feed)
        }
        if let deadLetters, DeadLetterRoutes.matches(path) {
            return DeadLetterRoutes(access: access, deadLetters: deadLetters).respond(
                request,
                path: path,
                buffer: buffer,
                output: &output
            )
        }
        if let controlPlane, let (kind, segment) = ControlRoutes.match(path) {
            let routes = ControlRoutes(access: access, controlPlane: controlPlane)
            return routes.respond(
                kind,
                idSegment: segment,
                request: request,
                authorization: request.bytes(request.authorization, in: buffer),
                body: { apiParser.withBody(of: request, in: buffer) { Array($0) } },
                output: &output
            )
        }
        let isHead = request.method == .head
        guard request.method == .get || isHead else {
            let error = HTTPError(.methodNotAllowed, reason: "read_only_endpoint")
            error.appendResponse(to: &output, keepAlive: request.keepAlive)
            return error.status
        }
        if path.elementsEqual("/metrics".utf8) {
            HTTPResponseWriter.appendResponse(
                status: .ok,
                contentType: "text/plain; version=0.0.4; charset=utf-8",
                body: metrics.render().utf8,
                keepAlive: request.keepAlive,
                includeBody: !isHead,
                to: &output
            )
            return .ok
        } else if path.elementsEqual("/healthz".utf8) {
            HTTPResponseWriter.appendResponse(
                status: .ok,
                contentType: "application/json",
                body: #"{"status":"ok"}"#.utf8,
                keepAlive: request.keepAlive,
                includeBody: !isHead,
                to: &output
            )
            return .ok
        }
        let error = HTTPError(.notFound, reason: "no_such_endpoint")
        error.appendResponse(to: &output, keepAlive: request.keepAlive, includeBody: !isHead)
        return error.status
    }

    /// `GET /alerts` and `GET /alerts/stream`, with the read token when tokens are configured.
    private func routeFeed(
        _ feeds: AlertFeeds,
        stream: Bool,
        _ request: HTTPRequest,
        _ buffer: UnsafeRawBufferPointer,
        _ output: inout [UInt8],
        _ feed: inout AlertFeeds.Stream?
    ) -> HTTPStatus {
        let isHead = request.method == .head
        func fail(_ error: HTTPError, headers: KeyValuePairs<String, String> = [:]) -> HTTPStatus {
            error.appendResponse(to: &output, keepAlive: request.keepAlive, headers: headers, includeBody: !isHead)
            return error.status
        }
        guard request.method == .get || (isHead && !stream) else {
            return fail(
                HTTPError(.methodNotAllowed, reason: "use_get"),
                headers: ["Allow": stream ? "GET" : "GET, HEAD"]
            )
        }
        if let refusal = access.refusal(request.bytes(request.authorization, in: buffer), needs: .read) {
            return fail(refusal.error, headers: refusal.headers)
        }
        let query: FeedQuery
        switch FeedQuery.parse(
            request.bytes(request.query, in: buffer),
            lastEventID: stream ? request.bytes(request.lastEventID, in: buffer) : nil
        ) {
        case .success(let parsed): query = parsed
        case .failure(let error): return fail(error)
        }
        guard stream else {
            return feeds.page(query, keepAlive: request.keepAlive, includeBody: !isHead, into: &output)
        }
        feed = feeds.open(query, now: Self.milliseconds(), into: &output)
        feedsBehind = true  // the first events go out with the next pump
        return .ok
    }

    /// A state request: the question goes to the shards that own the vehicles, the answer comes back through
    /// ``deliverStateAnswers()``; the connection waits (its later requests too) without blocking the thread.
    private func routeState(
        _ parsed: Result<StateRequest, HTTPError>,
        _ request: HTTPRequest,
        _ buffer: UnsafeRawBufferPointer,
        _ output: inout [UInt8],
        _ awaiting: inout UInt64?
    ) -> HTTPStatus {
        func fail(_ error: HTTPError, headers: KeyValuePairs<String, String> = [:]) -> HTTPStatus {
            let includeBody = request.method != .head
            error.appendResponse(to: &output, keepAlive: request.keepAlive, headers: headers, includeBody: includeBody)
            return error.status
        }
        guard request.method == .get || request.method == .head else {
            return fail(HTTPError(.methodNotAllowed, reason: "use_get"), headers: ["Allow": "GET, HEAD"])
        }
        let stateRequest: StateRequest
        switch parsed {
        case .success(let parsedRequest): stateRequest = parsedRequest
        case .failure(let error): return fail(error)
        }
        if stateRequest.needsToken,
            let refusal = access.refusal(request.bytes(request.authorization, in: buffer), needs: .read)
        {
            return fail(refusal.error, headers: refusal.headers)
        }
        guard let exchange else { return fail(HTTPError(.notFound, reason: "no_such_endpoint")) }
        let shardCount = doorbells.count
        var questions: [(shard: Int, query: StateQuery)]
        var stop: String?
        switch stateRequest {
        case .vehicles(let after, let limit):
            questions = (0 ..< shardCount).map { ($0, .vehicles(after: after, limit: limit)) }
        case .vehicle(let vehicle):
            questions = [(ShardRouter.shard(for: vehicle, count: shardCount), .vehicle(vehicle))]
        case .trip(let id):
            guard let vehicle = live?.snapshot.trips.vehicleOfTrip[id] else {
                return fail(HTTPError(.notFound, reason: "no_such_trip", detail: "there is no trip \"\(id)\""))
            }
            questions = [(ShardRouter.shard(for: vehicle, count: shardCount), .trip(id: id, vehicle: vehicle))]
        case .track(let number):
            guard let place = live?.snapshot.trips.tracking[number] else {
                return fail(HTTPError(.notFound, reason: "unknown_tracking_number"))
            }
            stop = place.stop
            questions = [
                (
                    ShardRouter.shard(for: place.vehicle, count: shardCount),
                    .trip(id: place.trip, vehicle: place.vehicle)
                )
            ]
        }
        let ticket = nextTicket
        nextTicket += 1
        tickets[ticket] = PendingState(
            token: currentToken,
            request: stateRequest,
            keepAlive: request.keepAlive,
            includeBody: request.method != .head,
            stop: stop,
            remaining: questions.count
        )
        for question in questions {
            exchange.ask(question.query, ticket: ticket, shard: question.shard, doorbell: doorbells[question.shard])
        }
        awaiting = ticket
        return .ok
    }

    /// Answers the connections whose state questions the shards have all answered, then lets each go on with
    /// the requests it pipelined meanwhile.
    private func deliverStateAnswers() {
        guard let exchange else { return }
        for reply in exchange.takeReplies() {
            guard var pending = tickets[reply.ticket] else { continue }
            pending.answers.append(reply.answer)
            pending.remaining -= 1
            guard pending.remaining == 0 else {
                tickets[reply.ticket] = pending
                continue
            }
            tickets[reply.ticket] = nil
            guard let slot = connections.slot(for: pending.token), connections[slot]?.awaiting == reply.ticket else {
                continue  // the client left meanwhile
            }
            let status: HTTPStatus
            switch render(pending) {
            case .success(let body):
                status = .ok
                HTTPResponseWriter.appendResponse(
                    status: .ok,
                    contentType: "application/json",
                    body: body,
                    keepAlive: pending.keepAlive,
                    includeBody: pending.includeBody,
                    to: &connections[slot]!.output
                )
            case .failure(let error):
                status = error.status
                error.appendResponse(
                    to: &connections[slot]!.output,
                    keepAlive: pending.keepAlive,
                    includeBody: pending.includeBody
                )
            }
            counters.apiResponses[status.code, default: 0] += 1
            connections[slot]!.awaiting = nil
            if !pending.keepAlive || connections[slot]!.peerClosed { connections[slot]!.closeAfterWrite = true }
            flush(slot)
            if connections[slot] != nil { handleRequests(slot) }
        }
    }

    private func render(_ pending: PendingState) -> Result<[UInt8], HTTPError> {
        switch pending.request {
        case .vehicles(_, let limit):
            var views: [VehicleView] = []
            for case .views(let part) in pending.answers { views.append(contentsOf: part) }
            views.sort { $0.vehicle.description.utf8.lexicographicallyPrecedes($1.vehicle.description.utf8) }
            return .success(StateJSON.page(Array(views.prefix(limit)), limit: limit))
        case .vehicle(let vehicle):
            guard case .views(let views)? = pending.answers.first, let view = views.first else {
                return .failure(
                    HTTPError(.notFound, reason: "no_such_vehicle", detail: "no fix seen from \"\(vehicle)\"")
                )
            }
            var body: [UInt8] = []
            StateJSON.append(view, to: &body)
            return .success(body)
        case .trip(let id):
            guard case .trip(let report?, _)? = pending.answers.first else {
                return .failure(HTTPError(.notFound, reason: "no_such_trip", detail: "there is no trip \"\(id)\""))
            }
            return .success(StateJSON.trip(report))
        case .track(let number):
            guard case .trip(let report?, let lastFix)? = pending.answers.first,
                let stop = report.stops.first(where: { $0.id == pending.stop })
            else { return .failure(HTTPError(.notFound, reason: "unknown_tracking_number")) }
            return .success(StateJSON.tracking(number, stop: stop, lastFix: lastFix))
        }
    }

    /// Queues the next events of every stream.
    private func pumpAllFeeds() {
        feedsBehind = false
        for slot in connections.indices where connections[slot]?.feed != nil { pumpFeed(slot) }
    }

    /// Queues a stream's next events (as far as its reader keeps up) and writes them.
    private func pumpFeed(_ slot: Int) {
        guard let feeds, var connection = connections[slot], var stream = connection.feed else { return }
        connections[slot] = nil
        let behind: Bool
        do {
            behind = try feeds.pump(
                &stream,
                output: &connection.output,
                pending: connection.pendingOutput,
                now: Self.milliseconds()
            )
        } catch {
            ServerLog.error("alert stream: \(error)")
            connection.feed = stream
            connection.closeAfterWrite = true
            connections[slot] = connection
            return flush(slot)
        }
        connection.feed = stream
        connections[slot] = connection
        flush(slot)
        // Behind with room to queue: pump again at once. A stream whose reader is slow waits for EPOLLOUT.
        if behind, let after = connections[slot], after.pendingOutput < AlertFeeds.streamHighWater {
            feedsBehind = true
        }
    }

    private func fail(_ slot: Int, _ error: HTTPError) {
        guard let connection = connections[slot], !connection.closeAfterWrite else { return }
        error.appendResponse(to: &connections[slot]!.output, keepAlive: false)
        connections[slot]!.closeAfterWrite = true
        flush(slot)
    }

    /// Writes pending output without blocking; arms EPOLLOUT for the rest; closes when done and asked to.
    private func flush(_ slot: Int) {
        guard var connection = connections[slot] else { return }
        while connection.hasOutput {
            let written: Int?
            do {
                written = try connection.output.withUnsafeBytes { bytes in
                    try Socket.write(connection.fd, UnsafeRawBufferPointer(rebasing: bytes[connection.outputStart...]))
                }
            } catch {
                connections[slot] = connection
                return close(slot)
            }
            guard let written else { break }
            connection.outputStart += written
            connection.lastActivity = Self.milliseconds()
        }
        if !connection.hasOutput {
            connection.output.removeAll(keepingCapacity: connection.output.capacity <= 64 * 1024)
            connection.outputStart = 0
            if connection.closeAfterWrite {
                connections[slot] = connection
                return close(slot)
            }
        }
        // Read only while there is room for answers and the connection is not closing; a client that sends
        // without reading stops being read (and costs no CPU) until it reads.
        var events: EpollEvents = []
        // Not while a state answer is awaited either: later requests wait in the kernel, not in our buffer.
        if !connection.closeAfterWrite && connection.awaiting == nil && !connection.peerClosed
            && connection.pendingOutput < Self.maxPendingOutput
        {
            events.formUnion([.readable, .readHangup])
        }
        if connection.hasOutput { events.insert(.writable) }
        if events != connection.interest {
            try? epoll.modify(connection.fd, events: events, token: connections.token(slot))
            connection.interest = events
        }
        connections[slot] = connection
    }

    private func close(_ slot: Int) {
        guard let connection = connections[slot] else { return }
        try? epoll.remove(connection.fd)
        Socket.close(connection.fd)
        connections.release(slot)
        counters.openConnections -= 1
    }

    /// Closes idle keep-alive connections and answers 408 to requests that trickle in too slowly.
    private func sweep(now: Int64) {
        for slot in connections.indices {
            if let feeds, var stream = connections[slot]?.feed {
                let pending = connections[slot]!.pendingOutput
                feeds.heartbeat(&stream, output: &connections[slot]!.output, pending: pending, now: now)
                connections[slot]!.feed = stream
                flush(slot)
            }
            guard let connection = connections[slot] else { continue }
            if now - connection.lastActivity > min(Self.keepAliveTimeout, limits.idleTimeout) {
                // No progress either way for the keep-alive timeout (idle, or not reading its answers).
                counters.count(.idleTimeout)
                close(slot)
            } else if connection.partialSince > 0 && !connection.closeAfterWrite && connection.awaiting == nil
                && now - connection.partialSince > Self.partialRequestTimeout
            {
                counters.count(.idleTimeout)
                fail(slot, HTTPError(.requestTimeout, reason: "request_incomplete"))
            }
        }
    }

    private static func milliseconds() -> Int64 {
        Int64(MonotonicClock.nanoseconds() / 1_000_000)
    }
}
