import FixstreamWire

/// Reads one trace file as a stream of fixes in file order, decoding a chunk at a time.
final class TraceReader {
    let input: InputFile
    private var decoder: FixDecoder
    private var pending: [Fix] = []
    private var next = 0
    private var ended = false
    private let buffer: UnsafeMutableRawBufferPointer

    /// Opens a trace; `vehicle` is the id for lines that carry none.
    init(path: String, format: InputFormat, vehicle: VehicleID?, maxLine: Int = 1024) throws {
        input = try InputFile(path: path)
        decoder = FixDecoder(format: format, vehicle: vehicle, maxLineLength: maxLine)
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        pending.reserveCapacity(4096)
    }

    deinit {
        buffer.deallocate()
    }

    /// Decoder counters so far.
    var stats: DecodeStats { decoder.stats }

    /// The next fix without consuming it; nil at the end of the trace.
    func peek() throws -> Fix? {
        while next == pending.count {
            if ended { return nil }
            pending.removeAll(keepingCapacity: true)
            next = 0
            let count = try input.read(into: buffer)
            if count == 0 {
                ended = true
                decoder.finish(into: &pending)
            } else {
                decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[0 ..< count]), into: &pending)
            }
        }
        return pending[next]
    }

    /// Consumes the fix `peek()` returned.
    func advance() {
        next += 1
    }
}
