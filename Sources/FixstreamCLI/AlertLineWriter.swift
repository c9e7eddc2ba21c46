import FixstreamPipeline
import FixstreamWire

/// Writes pipeline output (accepted fixes and alerts) as JSON lines, numbering alerts from 1, in large writes.
struct AlertLineWriter<Output: ByteOutput> {
    let output: Output
    private var buffer: [UInt8] = []
    private var nextID: Int64 = 1

    init(output: Output) {
        self.output = output
        buffer.reserveCapacity(1 << 20)
    }

    /// Formats and drains `pipeline`: fixes and alerts interleaved in the order they happened.
    mutating func write(_ pipeline: inout PipelineOutput) throws {
        var alert = 0
        for (index, fix) in pipeline.fixes.enumerated() {
            while alert < pipeline.alertsBeforeFix[index] {
                append(pipeline.alerts[alert])
                alert += 1
            }
            FixJSONWriter.append(fix, to: &buffer)
        }
        while alert < pipeline.alerts.count {
            append(pipeline.alerts[alert])
            alert += 1
        }
        pipeline.removeAll()
        if buffer.count >= 1 << 20 { try flush() }
    }

    private mutating func append(_ alert: Alert) {
        AlertJSONWriter.append(alert, id: nextID, to: &buffer)
        nextID += 1
    }

    /// Appends bytes that are already JSON lines.
    mutating func writeRaw(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes out what is buffered.
    mutating func flush() throws {
        try buffer.withUnsafeBytes { try output.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
