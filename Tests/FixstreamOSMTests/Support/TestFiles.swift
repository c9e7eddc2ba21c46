import Foundation

/// Files the tests read from the repository (located from this file, so tests run from any working directory)
/// and temporary files they write.
enum TestFiles {
    /// The repository root.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // FixstreamOSMTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `Traces/maps/monaco-roads.osm`.
    static let monaco = repository.appendingPathComponent("Traces/maps/monaco-roads.osm").path

    /// Writes `text` to a new temporary file and returns its path; remove it with ``remove(_:)``.
    static func temporary(_ text: String, suffix: String = ".osm") throws -> String {
        try temporary(Data(text.utf8), suffix: suffix)
    }

    /// Writes `data` to a new temporary file and returns its path.
    static func temporary(_ data: Data, suffix: String = ".osm") throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fixstream-osm-\(UUID().uuidString)\(suffix)")
        try data.write(to: url)
        return url.path
    }

    /// Deletes a temporary file or directory.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
