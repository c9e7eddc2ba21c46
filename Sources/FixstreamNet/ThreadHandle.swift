import CFixstreamNet
@preconcurrency import Glibc
import Synchronization

/// A thread started by ``spawnThread(name:_:)``: join it once with ``join()``.
///
/// Dropping the handle without joining detaches the thread (its resources are freed when it ends). `Sendable`:
/// any one thread may join it.
public final class ThreadHandle: Sendable {
    /// The name given to ``spawnThread(name:_:)`` (the kernel keeps at most its first 15 bytes).
    public let name: String
    private let thread: pthread_t
    private let joined = Atomic<Bool>(false)

    init(name: String, thread: pthread_t) {
        self.name = name
        self.thread = thread
    }

    deinit {
        if !joined.load(ordering: .relaxed) {
            pthread_detach(thread)
        }
    }

    /// The calling thread's name as the kernel has it (at most 15 bytes), for log lines.
    public static var currentThreadName: String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 16) { buffer in
            buffer.initialize(repeating: 0)
            guard CFixstreamNet_get_current_thread_name(buffer.baseAddress!, buffer.count) == 0 else { return "" }
            return String(cString: buffer.baseAddress!)
        }
    }

    /// Waits for the thread to finish. Call it at most once, and not from the thread itself.
    public func join() {
        let (first, _) = joined.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        precondition(first, "ThreadHandle '\(name)' joined twice")
        let code = pthread_join(thread, nil)
        precondition(code == 0, "pthread_join('\(name)'): \(String(cString: strerror(code)))")
    }
}

/// Starts a dedicated OS thread (pthread) running `body`, named `name` for `top -H`, `ps -L` and debuggers.
///
/// `body` is `sending`: whatever it captures (a non-`Sendable` epoll loop or worker, say) moves to the new
/// thread, and the compiler rejects any later use of it on the calling thread. The new thread starts with the
/// calling thread's signal mask (see ``Signals/block(_:)``).
/// - Parameters:
///   - name: The thread name; cut to its first 15 bytes (at a character boundary), the kernel's limit.
///   - body: What the thread runs; the thread ends when it returns.
/// - Returns: The handle to join.
/// - Throws: ``SystemError`` when the system cannot create a thread (`EAGAIN`: thread or memory limits).
public func spawnThread(name: String, _ body: sending @escaping () -> Void) throws(SystemError) -> ThreadHandle {
    let start = Unmanaged.passRetained(ThreadStart(name: ThreadStart.kernelName(name), body: body)).toOpaque()
    var thread = pthread_t()
    let code = pthread_create(
        &thread,
        nil,
        { argument in
            let start = Unmanaged<ThreadStart>.fromOpaque(argument!).takeRetainedValue()
            _ = CFixstreamNet_set_current_thread_name(start.name)
            start.body()
            return nil
        },
        start
    )
    guard code == 0 else {
        Unmanaged<ThreadStart>.fromOpaque(start).release()
        throw SystemError(code: SystemError.Code(rawValue: code), operation: "pthread_create", detail: name)
    }
    return ThreadHandle(name: name, thread: thread)
}

/// What a new thread runs, passed through `pthread_create`'s argument.
private final class ThreadStart {
    let name: String
    let body: () -> Void

    init(name: String, body: @escaping () -> Void) {
        self.name = name
        self.body = body
    }

    /// The longest prefix of `name` that fits the kernel's 15 bytes without splitting a character.
    static func kernelName(_ name: String) -> String {
        var result = ""
        var bytes = 0
        for character in name {
            bytes += character.utf8.count
            if bytes > 15 { break }
            result.append(character)
        }
        return result
    }
}
