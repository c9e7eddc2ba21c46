import FixstreamPipeline
import FixstreamStore
import FixstreamWire

/// An alert as the journal stores it: the columns feeds filter on, and its JSON without the id (the journal adds
/// the id when it is read).
enum AlertRecord {
    static func record(for alert: Alert) -> JournalRecord {
        var body: [UInt8] = []
        body.reserveCapacity(192)
        AlertJSONWriter.append(alert, id: nil, to: &body)
        if body.last == UInt8(ascii: "\n") { body.removeLast() }
        return JournalRecord(
            type: alert.type.name,
            vehicle: alert.vehicle.description,
            fence: text(alert["fence"]),
            trip: text(alert["trip"]),
            time: alert.time.millisecondsSinceEpoch,
            body: body
        )
    }

    private static func text(_ value: AlertField.Value?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }
}
