import FixstreamCLI
import Foundation

/// What one run printed and returned.
struct CommandRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Standard output split into lines (the last newline ends the last line).
    var stdoutLines: [String] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}

/// Runs the whole command line through ``FixstreamCommand/main(_:stdout:stderr:)``, as the executable does.
func runFixstream(_ arguments: [String]) -> CommandRun {
    let stdout = MemoryOutput()
    let stderr = MemoryOutput()
    let status = FixstreamCommand.main(arguments, stdout: stdout, stderr: stderr)
    return CommandRun(status: status, stdout: stdout.text, stderr: stderr.text)
}

/// A fresh directory under the system temporary directory; tests remove it with a `defer`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    }

    /// Deletes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// The path of `name` in the directory (the file need not exist).
    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Writes `text` to `name` and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let path = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
