/// Which wire format a stream carries.
public enum InputFormat: String, Sendable, CaseIterable {
    /// NMEA and JSON told apart per record: `{` starts JSON, anything else is an NMEA line.
    case auto
    /// NMEA 0183 lines only; JSON is refused as unrecognized.
    case nmea
    /// JSON objects only (one per line, several per line, or arrays); other lines are refused.
    case json
}

/// Turns a byte stream of NMEA sentences and/or JSON objects into fixes.
///
/// One decoder per stream (file, TCP connection, datagram source): it keeps partial lines, open NMEA epochs and
/// the stream's vehicle id between chunks. Feed chunks of any size with ``decode(_:into:)``; call
/// ``finish(into:)`` when the stream ends so the last epoch is emitted. Fixes are appended to a caller-owned array,
/// which the caller can reuse with `removeAll(keepingCapacity: true)`: steady-state decoding allocates nothing.
public struct FixDecoder {
    /// What was decoded and rejected so far.
    public private(set) var stats = DecodeStats()
    private let format: InputFormat
    private let framer: RecordFramer
    private var nmea: NMEADecoder
    private let json: JSONFixDecoder

    /// Creates a decoder.
    /// - Parameters:
    ///   - format: what the stream carries.
    ///   - vehicle: the id of fixes that do not carry one (a raw receiver stream).
    ///   - maxLineLength: longest text line accepted (NMEA), in bytes.
    ///   - maxObjectLength: longest JSON object accepted, in bytes.
    public init(
        format: InputFormat = .auto,
        vehicle: VehicleID? = nil,
        maxLineLength: Int = 1024,
        maxObjectLength: Int = 64 * 1024
    ) {
        self.format = format
        framer = RecordFramer(
            mode: format == .nmea ? .lines : .auto,
            maxLineLength: maxLineLength,
            maxObjectLength: maxObjectLength
        )
        nmea = NMEADecoder(vehicle: vehicle)
        json = JSONFixDecoder(vehicle: vehicle)
    }

    /// Decodes a chunk of the stream, appending completed fixes to `output`.
    public mutating func decode(_ chunk: UnsafeRawBufferPointer, into output: inout [Fix]) {
        var offset = 0
        while true {
            // The common case: an object that starts and ends in this chunk is read in one pass, where it lies.
            if framer.skipToObject(chunk, &offset),
                let end = json.decodeObject(
                    in: chunk,
                    at: offset,
                    limit: min(chunk.count, offset &+ framer.maxObjectLength),
                    into: &output,
                    stats: &stats
                )
            {
                stats.records += 1
                offset = end
                continue
            }
            // Everything else (lines, objects across chunks or over the cap, broken or unusual JSON) is framed.
            guard let record = framer.next(chunk, &offset) else { break }
            handle(record, into: &output)
        }
    }

    /// Ends the stream: decodes a final unterminated line and flushes every open epoch.
    public mutating func finish(into output: inout [Fix]) {
        if let record = framer.finish() {
            handle(record, into: &output)
        }
        nmea.finish(into: &output, stats: &stats)
    }

    /// Ends one datagram: like ``finish(into:)``, and the stream forgets the vehicle id a `$PFXID` sentence set,
    /// so every datagram stands alone (a datagram is complete in itself and may come from another device).
    public mutating func endDatagram(into output: inout [Fix]) {
        finish(into: &output)
        nmea.resetStreamVehicle()
    }

    /// Adds the counters gathered since the last call to `total` and starts counting from zero: lets a server
    /// keep one running total for thousands of connections without summing them.
    public mutating func drainStats(into total: inout DecodeStats) {
        total.merge(stats)
        stats.reset()
    }

    private mutating func handle(_ record: Record, into output: inout [Fix]) {
        stats.records += 1
        switch record {
        case .text(let line):
            if format == .json {
                textInJSONStream(line)
            } else {
                nmea.decodeLine(line, into: &output, stats: &stats)
            }
        case .json(let object):
            json.decodeObject(object, into: &output, stats: &stats)
        case .tooLong:
            stats.count(.tooLong)
        case .brokenJSON:
            stats.jsonObjects += 1
            stats.count(.malformedJSON)
        }
    }

    private mutating func textInJSONStream(_ line: UnsafeRawBufferPointer) {
        var i = 0
        while i < line.count && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
        if i < line.count && line[i] == UInt8(ascii: "#") {
            stats.count(.comment)
        } else {
            stats.count(.unrecognized)
        }
    }
}
