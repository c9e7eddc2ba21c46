import Foundation

@testable import FixstreamServer

/// A fresh data directory and a configuration on free loopback ports that uses it, for tests that start their
/// own server.
struct TestData {
    let directory: URL
    var config: ServerConfig

    init(shards: Int) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-test-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        config = ServerConfig(cores: shards)
        config.dataDirectory = directory.path
        config.ingestPort = 0
        config.osmandPort = 0
        config.httpPort = 0
    }

    /// Deletes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
