import Synchronization

/// One output that several threads write to (`demo`'s alert lines from the alert thread, the rest from the main
/// thread), one whole write at a time.
final class DemoConsole: ByteOutput, @unchecked Sendable {
    // @unchecked: `output` is used only under `lock`, so one thread at a time writes to it.
    private let output: any ByteOutput
    private let lock = Mutex(0)

    init(_ output: any ByteOutput) {
        self.output = output
    }

    /// Writes all of `bytes`, before or after any other thread's write.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try lock.withLock { _ in try output.write(bytes) }
    }
}
