import FixstreamNet
import Synchronization
import Testing

struct ThreadHandleTests {
    /// Something the threads share.
    final class Shared: Sendable {
        let counter = Atomic<Int>(0)
        let names = Mutex<[String]>([])
    }

    @Test func spawnedThreadsRunAndJoin() throws {
        let shared = Shared()
        let threads = try (0 ..< 4).map { index in
            try spawnThread(name: "worker-\(index)") {
                for _ in 0 ..< 1000 { shared.counter.add(1, ordering: .relaxed) }
                let name = ThreadHandle.currentThreadName
                shared.names.withLock { $0.append(name) }
            }
        }
        #expect(threads.map(\.name) == ["worker-0", "worker-1", "worker-2", "worker-3"])
        for thread in threads { thread.join() }
        #expect(shared.counter.load(ordering: .relaxed) == 4000)
        #expect(shared.names.withLock { $0.sorted() } == ["worker-0", "worker-1", "worker-2", "worker-3"])
    }

    @Test func longNamesAreCutToFifteenBytesAtACharacterBoundary() throws {
        let shared = Shared()
        let first = try spawnThread(name: "fixstream-io-worker-7") {
            let name = ThreadHandle.currentThreadName
            shared.names.withLock { $0.append(name) }
        }
        first.join()
        let second = try spawnThread(name: "fixstream-ioxyé") {  // é is two bytes: 14 + 2 > 15.
            let name = ThreadHandle.currentThreadName
            shared.names.withLock { $0.append(name) }
        }
        second.join()
        #expect(shared.names.withLock { $0 } == ["fixstream-io-wo", "fixstream-ioxy"])
    }

    @Test func aNonSendableValueMovesIntoTheThread() throws {
        final class Worker {
            var total = 0
        }
        let result = Shared()
        let worker = Worker()
        let thread = try spawnThread(name: "mover") {
            for value in 1 ... 10 { worker.total += value }
            result.counter.store(worker.total, ordering: .relaxed)
        }
        thread.join()
        #expect(result.counter.load(ordering: .relaxed) == 55)
    }

    @Test func droppingAnUnjoinedHandleDetaches() throws {
        _ = try spawnThread(name: "detached") {}
    }
}
