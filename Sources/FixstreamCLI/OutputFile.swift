#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A file written from scratch: created (or truncated) on open, written in large chunks, closed explicitly.
final class OutputFile: ByteOutput {
    let path: String
    private var descriptor: Int32
    private let output: FileDescriptorOutput

    /// Creates or truncates `path`.
    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CLIError(.io, "cannot create '\(path)': \(String(cString: strerror(errno)))")
        }
        output = FileDescriptorOutput(descriptor: descriptor)
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            try output.write(bytes)
        } catch let error as CLIError {
            throw CLIError(.io, "cannot write '\(path)': \(error.message)")
        }
    }

    /// Closes the file, reporting a failure (a full disk may only show here).
    func close() throws {
        let result = Glibc.close(descriptor)
        descriptor = -1
        if result != 0 { throw CLIError(.io, "cannot write '\(path)': \(String(cString: strerror(errno)))") }
    }

    /// Writes `bytes` to `path` as a whole.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let file = try OutputFile(path: path)
        try bytes.withUnsafeBytes { try file.write($0) }
        try file.close()
    }

    /// Creates directory `path` unless it exists.
    static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw CLIError(.io, "cannot create directory '\(path)': \(String(cString: strerror(errno)))")
        }
    }
}
