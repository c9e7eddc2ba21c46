#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// One-line operator messages on stderr, written with a single `write(2)` so lines from threads never interleave.
enum ServerLog {
    static func error(_ message: String) {
        var line = "fixstream: " + message + "\n"
        line.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }
}
