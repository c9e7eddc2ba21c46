import FixstreamNet
import FixstreamWire

/// The wire side of a replay: connections, per-connection buffers, HTTP answers.
///
/// Vehicle `k` always uses connection `k % connections`, so each vehicle's fixes stay in order on one stream.
struct ReplaySender {
    private let target: ReplayTarget
    private let options: ReplayOptions
    private var sockets: [Int32] = []
    private var buffers: [[UInt8]]
    /// Lines in each UDP datagram being built.
    private var linesInDatagram: [Int]
    /// Connections with buffered bytes, so a flush does not visit ten thousand idle ones.
    private var dirty: [Int] = []
    private var isDirty: [Bool]
    /// HTTP requests written and not yet answered, per connection; and unparsed answer bytes.
    private var outstanding: [Int]
    private var answers: [[UInt8]]
    private let host: String
    private(set) var sent = 0
    private(set) var bytes = 0
    private(set) var statuses: [Int: Int] = [:]
    private(set) var errors = 0

    private static let flushBytes = 64 * 1024
    private static let datagramBytes = 1400
    private static let pipelineDepth = 32

    init(target: ReplayTarget, connections: Int, options: ReplayOptions) throws {
        self.target = target
        self.options = options
        host = target.address.description
        buffers = Array(repeating: [], count: connections)
        linesInDatagram = Array(repeating: 0, count: connections)
        isDirty = Array(repeating: false, count: connections)
        outstanding = Array(repeating: 0, count: connections)
        answers = Array(repeating: [], count: connections)
        do {
            for _ in 0 ..< connections {
                switch target {
                case .tcp(let address), .http(let address): sockets.append(try Socket.connectTCP(to: address))
                case .udp(let address): sockets.append(try Socket.connectUDP(to: address))
                }
            }
        } catch {
            sockets.forEach(Socket.close)
            throw error
        }
        for index in buffers.indices { buffers[index].reserveCapacity(Self.flushBytes + 4096) }
    }

    /// Queues one fix on its vehicle's connection, writing when a buffer (or datagram) is full.
    mutating func send(_ fix: Fix, vehicle: Int) throws {
        let connection = vehicle % sockets.count
        if !isDirty[connection] {
            isDirty[connection] = true
            dirty.append(connection)
        }
        switch target {
        case .tcp:
            ReplayEncoder.appendJSONLine(fix, to: &buffers[connection])
            if buffers[connection].count >= Self.flushBytes { try write(connection) }
        case .udp:
            let before = buffers[connection].count
            ReplayEncoder.appendJSONLine(fix, to: &buffers[connection])
            if buffers[connection].count > Self.datagramBytes && before > 0 {
                // The new line does not fit: send the datagram without it, then start the next with it.
                let line = Array(buffers[connection][before...])
                buffers[connection].removeLast(buffers[connection].count - before)
                try write(connection)
                buffers[connection].append(contentsOf: line)
            }
            linesInDatagram[connection] += 1
            if linesInDatagram[connection] >= options.linesPerDatagram { try write(connection) }
        case .http:
            ReplayEncoder.appendOsmAndRequest(fix, host: host, to: &buffers[connection])
            outstanding[connection] += 1
            if outstanding[connection] >= Self.pipelineDepth {
                try write(connection)
                try readAnswers(connection, until: Self.pipelineDepth / 2)
            }
        }
        sent += 1
    }

    /// Writes every buffer out (before sleeping, and at the end).
    mutating func flush() throws {
        for connection in dirty where !buffers[connection].isEmpty { try write(connection) }
        for connection in dirty { isDirty[connection] = false }
        dirty.removeAll(keepingCapacity: true)
    }

    /// Flushes, collects every HTTP answer and closes the connections.
    mutating func finish() throws {
        try flush()
        if case .http = target {
            for connection in sockets.indices { try readAnswers(connection, until: 0) }
        }
        for fd in sockets {
            if case .tcp = target { try? Socket.shutdownWrite(fd) }
            Socket.close(fd)
        }
        sockets.removeAll()
    }

    private mutating func write(_ connection: Int) throws {
        let fd = sockets[connection]
        let count = buffers[connection].count
        var offset = 0
        while offset < count {
            let written = try buffers[connection].withUnsafeBytes { bytes in
                try Socket.send(fd, UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            }
            guard let written else { continue }  // a blocking socket never says would-block; retry if it does
            offset += written
            if case .udp = target { break }  // one datagram
        }
        bytes += count
        buffers[connection].removeAll(keepingCapacity: true)
        linesInDatagram[connection] = 0
    }

    /// Reads HTTP answers on `connection` until at most `limit` requests are unanswered.
    private mutating func readAnswers(_ connection: Int, until limit: Int) throws {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while outstanding[connection] > limit {
            parseAnswers(connection)
            guard outstanding[connection] > limit else { return }
            let result = try chunk.withUnsafeMutableBytes { try Socket.read(sockets[connection], into: $0) }
            switch result {
            case .bytes(let count): answers[connection].append(contentsOf: chunk[0 ..< count])
            case .endOfFile, .connectionReset:
                errors += outstanding[connection]
                outstanding[connection] = 0
                return
            case .wouldBlock: continue
            }
        }
    }

    /// Counts the complete answers buffered for `connection` by status.
    private mutating func parseAnswers(_ connection: Int) {
        var consumed = 0
        let data = answers[connection]
        while let headEnd = Self.find([13, 10, 13, 10], in: data, from: consumed) {
            let head = data[consumed ..< headEnd]
            guard head.count >= 12, let status = Int(String(decoding: head.dropFirst(9).prefix(3), as: UTF8.self))
            else { break }
            let length = Self.contentLength(head) ?? 0
            guard data.count >= headEnd + 4 + length else { break }
            statuses[status, default: 0] += 1
            outstanding[connection] -= 1
            consumed = headEnd + 4 + length
        }
        if consumed > 0 { answers[connection].removeFirst(consumed) }
    }

    private static func find(_ needle: [UInt8], in data: [UInt8], from start: Int) -> Int? {
        guard data.count >= needle.count else { return nil }
        var index = start
        while index <= data.count - needle.count {
            if data[index] == needle[0] && data[index + 1] == needle[1] && data[index + 2] == needle[2]
                && data[index + 3] == needle[3]
            {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The value of a `Content-Length` header in `head`, if any.
    private static func contentLength(_ head: ArraySlice<UInt8>) -> Int? {
        let name = Array("content-length:".utf8)
        var index = head.startIndex
        while index + name.count <= head.endIndex {
            var matches = true
            for offset in 0 ..< name.count where head[index + offset] | 0x20 != name[offset] | 0x20 {
                matches = false
                break
            }
            if matches {
                var value = 0
                var cursor = index + name.count
                while cursor < head.endIndex && head[cursor] == UInt8(ascii: " ") { cursor += 1 }
                while cursor < head.endIndex, head[cursor] >= UInt8(ascii: "0"), head[cursor] <= UInt8(ascii: "9") {
                    value = value * 10 + Int(head[cursor] - UInt8(ascii: "0"))
                    cursor += 1
                }
                return value
            }
            index += 1
        }
        return nil
    }
}
