import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// An exclusive lock on a server's data directory (`flock` on `DIR/.lock`), held for the server's life: a second
/// server (or demo) started on the same directory is refused instead of sharing its journal, checkpoints and
/// control store. The kernel releases it when the process ends, however it ends.
public final class DataDirectoryLock: Sendable {
    /// The lock file's descriptor; -1 once released.
    private let fd: Atomic<Int32>

    /// Takes the lock on `directory`, creating the directory if needed.
    /// - Throws: ``ServerError`` when another process holds it, or the directory or lock file cannot be made.
    public init(_ directory: String) throws(ServerError) {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw ServerError("cannot create data directory '\(directory)': \(String(cString: strerror(errno)))")
        }
        let fd = open(directory + "/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ServerError("cannot open '\(directory)/.lock': \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ServerError(
                busy
                    ? "another Fixstream server is using the data directory '\(directory)' (stop it, or pick "
                        + "another --data)"
                    : "cannot lock '\(directory)/.lock': \(reason)"
            )
        }
        self.fd = Atomic(fd)
    }

    /// Releases the lock (a stopped server frees its directory for the next one). Idempotent.
    public func release() {
        let held = fd.exchange(-1, ordering: .acquiringAndReleasing)
        if held >= 0 { close(held) }
    }

    deinit {
        release()
    }
}
