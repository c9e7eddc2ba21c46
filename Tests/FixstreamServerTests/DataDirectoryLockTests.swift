import Testing

@testable import FixstreamServer

/// One server per data directory: a second is refused with a clear error, and a stopped one frees it.
@Suite(.serialized)
struct DataDirectoryLockTests {
    @Test func aSecondServerOnTheSameDataDirectoryIsRefused() throws {
        let data = try TestData(shards: 1)
        defer { data.remove() }
        let first = try Server.start(data.config)
        var refusal: ServerError?
        do {
            let second = try Server.start(data.config)
            second.stop()
        } catch let error as ServerError {
            refusal = error
        }
        #expect(refusal?.message.contains("another Fixstream server is using the data directory") == true)
        first.stop()
        // Stopped, the first one frees the directory: a restart on it works.
        let restarted = try Server.start(data.config)
        restarted.stop()
    }

    @Test func aLockTakenFirstIsTheServersOwn() throws {
        let data = try TestData(shards: 1)
        defer { data.remove() }
        let lock = try DataDirectoryLock(data.config.dataDirectory)
        #expect(throws: ServerError.self) { _ = try DataDirectoryLock(data.config.dataDirectory) }
        let server = try Server.start(data.config, lock: lock)
        server.stop()
        _ = try DataDirectoryLock(data.config.dataDirectory)
    }
}
