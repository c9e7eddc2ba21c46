@preconcurrency import Glibc

/// The datagrams the kernel dropped for one UDP socket because its receive buffer was full: the `drops` column of
/// `/proc/net/udp` (or `udp6`) on the socket's line, found by its inode. Read when asked (a metrics scrape), never
/// on the receive path. Once the socket is closed its line is gone: keep the last reading.
public struct UDPDrops: Sendable {
    private let inode: UInt64

    /// The counter of the UDP socket `fd`, or nil when the descriptor cannot be examined.
    public init?(socket fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
    }

    /// The drops so far, or nil when the socket is not (or no longer) listed.
    public func read() -> Int? {
        for path in ["/proc/net/udp", "/proc/net/udp6"] {
            guard let text = Self.contents(of: path) else { continue }
            if let drops = Self.drops(in: text, inode: inode) { return drops }
        }
        return nil
    }

    /// The `drops` of the line for `inode` in a `/proc/net/udp` table (columns: sl, local, remote, st, queues,
    /// timer, retransmits, uid, timeout, inode, ref, pointer, drops).
    static func drops(in table: String, inode: UInt64) -> Int? {
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 13, UInt64(fields[9]) == inode else { continue }
            return Int(fields[12])
        }
        return nil
    }

    /// A small `/proc` file's text (its size is not known in advance: read until the end).
    private static func contents(of path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0 ..< count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
