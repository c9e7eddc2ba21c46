#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Where a command writes bytes: a file descriptor, or memory in tests.
public protocol ByteOutput: AnyObject {
    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension ByteOutput {
    /// Writes a string followed by nothing else.
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }
}

/// Writes to a file descriptor with `write(2)`, retrying on EINTR and short writes. Unbuffered: callers batch.
public final class FileDescriptorOutput: ByteOutput {
    private let descriptor: Int32

    /// Wraps an open descriptor (not closed by this object).
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw CLIError(.io, "write failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}

/// Collects output in memory (tests).
public final class MemoryOutput: ByteOutput {
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty buffer.
    public init() {}

    /// Appends `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        self.bytes.append(contentsOf: bytes)
    }

    /// The output as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
