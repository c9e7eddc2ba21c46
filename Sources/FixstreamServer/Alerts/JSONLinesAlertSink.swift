import FixstreamPipeline

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Writes alerts as JSON lines to a file descriptor (stdout, or a file opened for appending).
final class JSONLinesAlertSink: AlertSink {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []

    /// Writes to `path` (appending, created if missing), or to stdout for `-`.
    init(path: String) throws {
        if path == "-" {
            descriptor = STDOUT_FILENO
            ownsDescriptor = false
        } else {
            let opened = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard opened >= 0 else {
                throw ServerError("cannot open alerts file '\(path)': \(String(cString: strerror(errno)))")
            }
            descriptor = opened
            ownsDescriptor = true
        }
        buffer.reserveCapacity(64 * 1024)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    func write(_ alerts: [Alert], firstID: Int64) throws {
        for (offset, alert) in alerts.enumerated() {
            AlertJSONWriter.append(alert, id: firstID + Int64(offset), to: &buffer)
        }
        if buffer.count >= 64 * 1024 { try flush() }
    }

    func flush() throws {
        var offset = 0
        try buffer.withUnsafeBytes { bytes in
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ServerError("cannot write alerts: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
