import FixstreamHTTP
import FixstreamStore
import FixstreamWire

/// The query of `GET /alerts` and `GET /alerts/stream`: where to start and which alerts.
///
/// `since=ID` (exclusive: alerts after ID), `limit=N` (pages, 1 to 1,000, default 100), and the filters
/// `vehicle=`, `type=` (a prefix: `geofence.` matches every geofence alert), `fence=`, `trip=`. Values are
/// form-encoded (`%XX`, `+` for a space). An unknown parameter is refused, so a typo does not silently widen a
/// filter. For the stream, a `Last-Event-ID` header (what browsers send when they reconnect) wins over `since`.
struct FeedQuery: Equatable {
    var since: Int64?
    var limit = 100
    var filter = JournalFilter()

    static let maximumLimit = 1000

    /// Parses `query` (without `?`) and the `Last-Event-ID` value; a refusal says which parameter is wrong.
    static func parse(
        _ query: UnsafeRawBufferPointer?,
        lastEventID: UnsafeRawBufferPointer?
    ) -> Result<FeedQuery, HTTPError> {
        var result = FeedQuery()
        if let query {
            for field in FormFields(query) {
                let value = FormFields.withDecoded(field.value) { String(validating: $0, as: UTF8.self) }
                guard let value else { return .failure(invalid("a parameter value is not UTF-8 text")) }
                if FormFields.name(field.name, is: "since") {
                    guard let id = Int64(value), id >= 0 else {
                        return .failure(invalid("since must be an alert id, 0 or more, not '\(value)'"))
                    }
                    result.since = id
                } else if FormFields.name(field.name, is: "limit") {
                    guard let limit = Int(value), (1 ... maximumLimit).contains(limit) else {
                        return .failure(invalid("limit must be 1 to \(maximumLimit), not '\(value)'"))
                    }
                    result.limit = limit
                } else if FormFields.name(field.name, is: "vehicle") {
                    result.filter.vehicle = value
                } else if FormFields.name(field.name, is: "type") {
                    result.filter.typePrefix = value
                } else if FormFields.name(field.name, is: "fence") {
                    result.filter.fence = value
                } else if FormFields.name(field.name, is: "trip") {
                    result.filter.trip = value
                } else {
                    let name = FormFields.withDecoded(field.name) { String(decoding: $0, as: UTF8.self) }
                    return .failure(
                        invalid("unknown parameter '\(name)' (since, limit, vehicle, type, fence, trip)")
                    )
                }
            }
        }
        if let lastEventID, !lastEventID.isEmpty {
            let text = String(decoding: lastEventID, as: UTF8.self)
            guard let id = Int64(text), id >= 0 else {
                return .failure(invalid("Last-Event-ID must be an alert id, not '\(text)'"))
            }
            result.since = id
        }
        return .success(result)
    }

    private static func invalid(_ detail: String) -> HTTPError {
        HTTPError(.badRequest, reason: "invalid_query", detail: detail)
    }
}
