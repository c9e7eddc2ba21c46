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

    /// The id of the last alert in the file at `path` (0 for none, stdout or an unreadable file), so a restarted
    /// server continues the sequence instead of repeating ids.
    static func lastID(in path: String) -> Int64 {
        guard path != "-" else { return 0 }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return 0 }
        let window = min(Int(size), 64 * 1024)
        var tail = [UInt8](repeating: 0, count: window)
        let count = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress, window, off_t(size) - off_t(window)) }
        guard count > 0 else { return 0 }
        // The last line that starts with {"id":<digits>.
        let prefix = Array(#"{"id":"#.utf8)
        var best: Int64 = 0
        var index = 0
        while index + prefix.count <= count {
            if (index == 0 || tail[index - 1] == 0x0A) && Array(tail[index ..< index + prefix.count]) == prefix {
                var value: Int64 = 0
                var cursor = index + prefix.count
                // Ids past 2^53 are not ids we wrote (nor exact in most JSON readers): such a line is ignored.
                while cursor < count, tail[cursor] >= 0x30, tail[cursor] <= 0x39, value < 1 << 53 {
                    value = value * 10 + Int64(tail[cursor] - 0x30)
                    cursor += 1
                }
                if value < 1 << 53 { best = max(best, value) }
            }
            index += 1
        }
        return best
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
