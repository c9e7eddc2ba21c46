#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Reads a file (or stdin for `-`) in large chunks with `read(2)`, retrying on EINTR.
final class InputFile {
    /// How many bytes one read asks for.
    static let chunkSize = 1 << 20

    let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Opens `path`; `-` is standard input.
    init(path: String) throws {
        self.path = path
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
            return
        }
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else {
            throw CLIError(.io, "cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        var info = stat()
        if fstat(opened, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(opened)
            throw CLIError(.io, "cannot read '\(path)': is a directory")
        }
        descriptor = opened
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Reads the whole of `path` (`-` is standard input) into memory.
    static func readAll(path: String) throws -> [UInt8] {
        let input = try InputFile(path: path)
        var bytes: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try input.read(into: buffer)
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[0 ..< count])
        }
    }

    /// Reads the next chunk into `buffer`; returns the byte count, 0 at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw CLIError(.io, "cannot read '\(path)': \(String(cString: strerror(errno)))")
        }
    }
}
