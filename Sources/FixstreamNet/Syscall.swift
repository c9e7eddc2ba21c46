@preconcurrency import Glibc

/// The one wrapper every system call in this module goes through.
///
/// Retries `EINTR`, reports `EAGAIN`/`EWOULDBLOCK` as `nil`, stops the process on `EBADF`/`EFAULT` (a closed or
/// foreign descriptor, or a bad pointer, is a bug in the caller, and carrying on could hit someone else's
/// descriptor) and throws ``SystemError`` for everything else.
enum Syscall {
    /// Runs a call that returns -1 and sets `errno` on failure; `nil` means it would block.
    @inline(__always)
    static func nonBlocking<Result: FixedWidthInteger & SignedInteger>(
        _ operation: StaticString,
        _ body: () -> Result
    ) throws(SystemError) -> Result? {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            throw failure(operation, code)
        }
    }

    /// Runs a call that cannot legitimately would-block; `EAGAIN` is thrown like any other error.
    @inline(__always)
    static func call<Result: FixedWidthInteger & SignedInteger>(
        _ operation: StaticString,
        _ body: () -> Result
    ) throws(SystemError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            throw failure(operation, code)
        }
    }

    /// Runs a pthread-style call that returns 0 or an `errno` value (and never `EINTR`).
    @inline(__always)
    static func pthread(_ operation: StaticString, _ body: () -> Int32) throws(SystemError) {
        let code = body()
        if code != 0 { throw failure(operation, code) }
    }

    /// Closes `fd`. Linux releases the descriptor even when `close` reports `EINTR` or an I/O error, so neither
    /// is retried nor reported; `EBADF` (a double close) stops the process.
    static func close(_ fd: Int32) {
        if Glibc.close(fd) == -1 {
            let code = errno
            precondition(code != EBADF, "close(\(fd)): bad file descriptor (closed twice?)")
        }
    }

    /// The error for `code`, after stopping the process on the codes that mean a caller bug.
    @inline(never)
    static func failure(_ operation: StaticString, _ code: Int32) -> SystemError {
        if code == EBADF || code == EFAULT {
            preconditionFailure("\(operation): \(String(cString: strerror(code))) (errno \(code)): a caller bug")
        }
        return SystemError(code: SystemError.Code(rawValue: code), operation: "\(operation)")
    }
}
