import FixstreamHTTP
import FixstreamStore

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
        let values: [String: String]
        switch QueryParameters.parse(query, allowed: ["since", "limit", "vehicle", "type", "fence", "trip"]) {
        case .success(let parsed): values = parsed
        case .failure(let error): return .failure(error)
        }
        if let text = values["since"] {
            guard let id = Int64(text), id >= 0 else {
                return .failure(QueryParameters.invalid("since must be an alert id, 0 or more, not '\(text)'"))
            }
            result.since = id
        }
        if let text = values["limit"] {
            guard let limit = Int(text), (1 ... maximumLimit).contains(limit) else {
                return .failure(QueryParameters.invalid("limit must be 1 to \(maximumLimit), not '\(text)'"))
            }
            result.limit = limit
        }
        result.filter = JournalFilter(
            vehicle: values["vehicle"],
            typePrefix: values["type"],
            fence: values["fence"],
            trip: values["trip"]
        )
        if let lastEventID, !lastEventID.isEmpty {
            let text = String(decoding: lastEventID, as: UTF8.self)
            guard let id = Int64(text), id >= 0 else {
                return .failure(QueryParameters.invalid("Last-Event-ID must be an alert id, not '\(text)'"))
            }
            result.since = id
        }
        return .success(result)
    }
}
