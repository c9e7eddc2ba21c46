import Foundation

/// The road map `fixstream demo` runs on: the bundled Monaco extract found without arguments, imported once into
/// the data directory (again when the `.osm` is newer than the graph), or the file `--map` names.
enum DemoMap {
    /// The bundled map, relative to the repository root.
    static let bundled = "Traces/maps/monaco-roads.osm"

    /// The bundled map: under the current directory, else under a directory above the executable, else under the
    /// repository this file was compiled from. Nil when none has it.
    static func locateBundled(
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executable: String? = Bundle.main.executablePath,
        sourceFile: String = #filePath
    ) -> String? {
        let manager = FileManager.default
        if manager.isReadableFile(atPath: currentDirectory + "/" + bundled) {
            // Relative, as the user would type it.
            return currentDirectory == manager.currentDirectoryPath ? bundled : currentDirectory + "/" + bundled
        }
        for start in [executable, sourceFile].compactMap({ $0 }) {
            var directory = URL(fileURLWithPath: start).resolvingSymlinksInPath().deletingLastPathComponent()
            while directory.path != "/" && !directory.path.isEmpty {
                let candidate = directory.appendingPathComponent(bundled).path
                if manager.isReadableFile(atPath: candidate) { return candidate }
                directory.deleteLastPathComponent()
            }
        }
        return nil
    }

    /// The road graph file to load: `map` itself unless it is an `.osm` file, which is imported into
    /// `dataDirectory/roads.fxg` when that is missing, older than it or imported from another map (the map's path
    /// is kept beside the graph, in `roads.fxg.source`), saying so on `stdout`.
    /// - Throws: ``CLIError`` when the map cannot be found, read or imported.
    static func graphFile(map: String?, dataDirectory: String, stdout: some ByteOutput) throws -> String {
        guard let source = map ?? locateBundled() else {
            throw CLIError(
                .io,
                "demo: cannot find the bundled map \(bundled) (run it from the repository, or give --map FILE)"
            )
        }
        guard source.lowercased().hasSuffix(".osm") else { return source }
        let manager = FileManager.default
        guard let osmDate = modified(source) else { throw CLIError(.io, "demo: cannot read the map '\(source)'") }
        let graph = dataDirectory + "/" + MapCommand.graphFileName
        // Which map the graph was imported from: a graph newer than another map is still not that map's.
        let record = graph + ".source"
        let origin = URL(fileURLWithPath: source).standardizedFileURL.path
        let recorded = try? String(contentsOfFile: record, encoding: .utf8)
        let reason: String
        if let graphDate = modified(graph) {
            guard graphDate < osmDate || recorded != origin else { return graph }
            reason = recorded == origin ? "older than the map" : "imported from another map"
        } else {
            reason = manager.fileExists(atPath: graph) ? "unreadable" : "not there yet"
        }
        try stdout.write("importing \(source) into \(graph) (\(reason))\n")
        try MapCommand.makeDirectory(dataDirectory)
        try MapCommand.importMap(source, to: graph, stderr: MemoryOutput())
        do {
            try origin.write(toFile: record, atomically: true, encoding: .utf8)
        } catch {
            throw CLIError(.io, "demo: cannot write '\(record)': \(error)")
        }
        return graph
    }

    private static func modified(_ path: String) -> Date? {
        guard FileManager.default.isReadableFile(atPath: path) else { return nil }
        return (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
