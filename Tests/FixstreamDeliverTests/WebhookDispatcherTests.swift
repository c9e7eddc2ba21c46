import FixstreamDeliver
import FixstreamStore
import Testing

/// The dispatcher against real receivers on loopback and a real journal in a temporary directory. Waits are
/// "eventually within a few seconds"; no test asserts how fast anything is.
struct WebhookDispatcherTests {
    @Test func deliversSignedBatchesOfAlertsWithIDsInIDOrder() async throws {
        let journal = try TestJournal()
        try journal.append(250)
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let dispatcher = try journal.dispatcher([try endpoint("all", receiver)])
        defer { dispatcher.stop() }

        #expect(await eventually { receiver.acceptedIDs.count == 250 })
        let requests = receiver.requests
        #expect(requests.map(\.alertIDs.count) == [100, 100, 50])
        #expect(receiver.acceptedIDs == Array(1 ... 250))
        #expect(requests.allSatisfy { $0.signatureValid })
        #expect(requests.allSatisfy { $0.headers["content-type"] == "application/json" && $0.path == "/hook" })
        #expect(Set(requests.compactMap { $0.headers["x-fixstream-delivery"] }).count == 3)
        // The body is exactly the journal's alerts as consumers see them, in a JSON array.
        let page = try journal.journal.read(after: 200, limit: 100)
        let expected = "[" + page.entries.map { String(decoding: $0.json, as: UTF8.self) }.joined(separator: ",") + "]"
        #expect(String(decoding: requests[2].body, as: UTF8.self) == expected)
        #expect(await eventually { dispatcher.metrics("all").lag == 0 })
        let metrics = dispatcher.metrics("all")
        #expect(metrics.delivered == 250 && metrics.batches == 3 && metrics.failed == 0 && metrics.cursor == 250)
    }

    @Test func aNewEndpointStartsAfterTheJournalsLastAlert() async throws {
        let journal = try TestJournal()
        try journal.append(10)
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let dispatcher = try journal.dispatcher([try endpoint("new", receiver, from: .latest)])
        defer { dispatcher.stop() }
        try journal.append(5)
        dispatcher.wake()

        #expect(await eventually { receiver.acceptedIDs.count >= 5 })
        #expect(receiver.acceptedIDs == Array(11 ... 15))
    }

    @Test func filtersPickAlertsAndTheCursorMovesPastTheOthers() async throws {
        let journal = try TestJournal()
        let vehicleReceiver = try WebhookReceiver()
        defer { vehicleReceiver.stop() }
        let fenceReceiver = try WebhookReceiver()
        defer { fenceReceiver.stop() }
        let dispatcher = try journal.dispatcher([
            try endpoint("van-2", vehicleReceiver, filter: JournalFilter(vehicle: "van-2"), batchSize: 3),
            try endpoint("fences", fenceReceiver, filter: JournalFilter(typePrefix: "geofence.")),
        ])
        defer { dispatcher.stop() }
        var records: [JournalRecord] = []
        for index in 0 ..< 40 {
            records.append(
                index % 4 == 0
                    ? alertRecord("geofence.enter", vehicle: "van-\(index % 3)", fence: "depot")
                    : alertRecord("idle.start", vehicle: "van-\(index % 3)")
            )
        }
        try journal.append(records)
        dispatcher.wake()

        let vehicleIDs = (1 ... 40).filter { ($0 - 1) % 3 == 2 }.map(Int64.init)
        let fenceIDs = (1 ... 40).filter { ($0 - 1) % 4 == 0 }.map(Int64.init)
        #expect(await eventually { vehicleReceiver.acceptedIDs.count == vehicleIDs.count })
        #expect(await eventually { fenceReceiver.acceptedIDs.count == fenceIDs.count })
        #expect(vehicleReceiver.acceptedIDs == vehicleIDs)
        #expect(vehicleReceiver.requests.allSatisfy { $0.alertIDs.count <= 3 })
        #expect(fenceReceiver.acceptedIDs == fenceIDs)
        // Both endpoints are done with every id, the ones their filters skipped included.
        #expect(await eventually { dispatcher.metrics.allSatisfy { $0.cursor == 40 && $0.lag == 0 } })
    }

    @Test func theCursorSurvivesARestartSoNothingAcceptedIsSentAgain() async throws {
        let journal = try TestJournal()
        try journal.append(50)
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let first = try journal.dispatcher([try endpoint("durable", receiver)])
        #expect(await eventually { first.metrics("durable").cursor == 50 })
        first.stop()

        let second = try journal.dispatcher([try endpoint("durable", receiver)])
        defer { second.stop() }
        try journal.append(10)
        second.wake()
        #expect(await eventually { receiver.acceptedIDs.count >= 60 })
        #expect(receiver.acceptedIDs == Array(1 ... 60))
        #expect(await eventually { second.metrics("durable").delivered == 10 })
    }

    @Test func aBatchNotYetAcceptedWhenDeliveryStopsIsSentAgainAfterTheRestart() async throws {
        let journal = try TestJournal()
        try journal.append(5)
        let stuck = try WebhookReceiver()
        defer { stuck.stop() }
        stuck.hold()
        let first = try journal.dispatcher(
            [try endpoint("again", stuck, timeout: .seconds(300))],
            stopTimeout: .milliseconds(100)
        )
        #expect(await eventually { stuck.arrived == 1 })
        first.stop()  // gives up on the POST under way: its batch was never accepted
        stuck.stop()

        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let second = try journal.dispatcher([try endpoint("again", receiver)])
        defer { second.stop() }
        #expect(await eventually { receiver.acceptedIDs == Array(1 ... 5) })
    }

    @Test func aFailingReceiverGetsEveryAlertOnceItRecovers() async throws {
        let journal = try TestJournal()
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        receiver.failNext(3, status: 503)
        let dispatcher = try journal.dispatcher([try endpoint("flaky", receiver, batchSize: 10)])
        defer { dispatcher.stop() }
        for _ in 0 ..< 3 {
            try journal.append(10)
            dispatcher.wake()
        }

        #expect(await eventually { Set(receiver.acceptedIDs).count == 30 })
        // One batch in flight at a time: accepted alerts come in id order, each once.
        #expect(receiver.acceptedIDs == Array(1 ... 30))
        #expect(receiver.requests.prefix(3).allSatisfy { $0.status == 503 && $0.alertIDs == Array(1 ... 10) })
        #expect(await eventually { dispatcher.metrics("flaky").delivered == 30 })
        let metrics = dispatcher.metrics("flaky")
        #expect(metrics.failed == 3 && metrics.retried == 3 && metrics.batches == 3)
        #expect(metrics.lastError == "HTTP 503" && metrics.failingSince == nil)
    }

    @Test func aReceiverThatIsDownForAWhileLosesNothing() async throws {
        let journal = try TestJournal()
        let closed = try WebhookReceiver()
        closed.stop()  // a free port, closed again: connections are refused
        let port = closed.port
        let down = try WebhookEndpoint(
            name: "down",
            url: "http://127.0.0.1:\(port)/hook",
            secret: "s3cret",
            from: .start
        )
        try journal.append(20)
        let dispatcher = try journal.dispatcher([down])
        defer { dispatcher.stop() }
        #expect(await eventually { dispatcher.metrics("down").failed >= 2 })
        #expect(dispatcher.metrics("down").lastError?.contains("connect") == true)

        let receiver = try WebhookReceiver(port: port)
        defer { receiver.stop() }
        #expect(await eventually { receiver.acceptedIDs.count == 20 })
        #expect(receiver.acceptedIDs == Array(1 ... 20))
    }

    @Test func aBatchFailingPastItsMaximumAgeIsDeadLetteredAndCanBeReplayed() async throws {
        let journal = try TestJournal()
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        receiver.answer(500)
        let dispatcher = try journal.dispatcher([
            try endpoint("dead", receiver, batchSize: 10, maxAge: .milliseconds(500))
        ])
        defer { dispatcher.stop() }
        try journal.append(3)
        dispatcher.wake()

        let letters = try DeadLetters(dataDirectory: journal.directory)
        #expect(try await eventually { try letters.list().count == 1 })
        let letter = try #require(try letters.list().first)
        #expect(letter.endpoint == "dead" && letter.firstAlert == 1 && letter.lastAlert == 3 && letter.alerts == 3)
        #expect(letter.attempts >= 2 && letter.lastError == "HTTP 500" && !letter.replayRequested)
        #expect(await eventually { dispatcher.metrics("dead").cursor == 3 })
        #expect(dispatcher.metrics("dead").deadLettered == 3)

        // A replay that fails again records the attempt and waits to be asked again.
        #expect(try letters.requestReplay(id: letter.id))
        #expect(
            try await eventually {
                try letters.list().first.map { $0.attempts == letter.attempts + 1 && !$0.replayRequested } ?? false
            }
        )

        // Delivery moved on: later alerts reach the receiver once it answers again, and a replay delivers the
        // dead letter and removes it.
        receiver.answer(200)
        try journal.append(2)
        dispatcher.wake()
        #expect(await eventually { receiver.acceptedIDs == [4, 5] })
        #expect(try letters.requestReplay(id: letter.id))
        #expect(await eventually { receiver.acceptedIDs == [4, 5, 1, 2, 3] })
        #expect(try await eventually { try letters.list().isEmpty })
        #expect(await eventually { dispatcher.metrics("dead").replayed == 3 })
        #expect(try !letters.requestReplay(id: letter.id) && !letters.delete(id: letter.id))
    }

    @Test func aSlowEndpointDoesNotDelayAnother() async throws {
        let journal = try TestJournal()
        let slow = try WebhookReceiver()
        defer { slow.stop() }
        slow.hold()
        let fast = try WebhookReceiver()
        defer { fast.stop() }
        let dispatcher = try journal.dispatcher([
            // Held answers never time out here, however long other suites keep this test from running.
            try endpoint("slow", slow, batchSize: 5, timeout: .seconds(300)),
            try endpoint("fast", fast, batchSize: 5),
        ])
        defer { dispatcher.stop() }
        for _ in 0 ..< 4 {
            try journal.append(5)
            dispatcher.wake()
        }

        #expect(await eventually { fast.acceptedIDs == Array(1 ... 20) })
        #expect(slow.arrived == 1 && slow.requests.isEmpty)
        #expect(dispatcher.metrics("slow").inFlight == 1)
        slow.release()
        #expect(await eventually { slow.acceptedIDs == Array(1 ... 20) })
    }

    @Test func aPostRunningPastTheTimeoutFailsAndIsRetried() async throws {
        let journal = try TestJournal()
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        receiver.hold()
        let dispatcher = try journal.dispatcher([try endpoint("late", receiver, timeout: .milliseconds(300))])
        defer { dispatcher.stop() }
        try journal.append(4)
        dispatcher.wake()

        #expect(await eventually { dispatcher.metrics("late").failed >= 1 })
        #expect(dispatcher.metrics("late").lastError?.contains("timed out") == true)
        receiver.release()
        // The receiver may have accepted a POST the sender had given up on: at least once, deduplicated by id.
        #expect(
            await eventually { Set(receiver.acceptedIDs) == Set(1 ... 4) && dispatcher.metrics("late").cursor == 4 }
        )
    }

    @Test func aRedirectIsAFailureNotFollowed() async throws {
        let journal = try TestJournal()
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        receiver.answer(307)
        let dispatcher = try journal.dispatcher([try endpoint("moved", receiver)])
        defer { dispatcher.stop() }
        try journal.append(1)
        dispatcher.wake()

        #expect(await eventually { dispatcher.metrics("moved").failed >= 2 })
        #expect(dispatcher.metrics("moved").lastError == "HTTP 307")
        #expect(receiver.requests.allSatisfy { $0.path == "/hook" })
    }

    @Test func endpointsWithOneNameAreRefused() async throws {
        let journal = try TestJournal()
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let error = #expect(throws: WebhookError.self) {
            try journal.dispatcher([try endpoint("twin", receiver), try endpoint("twin", receiver)])
        }
        #expect(error?.code == .duplicateName)
    }
}
