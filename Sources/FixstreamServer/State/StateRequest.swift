import FixstreamHTTP
import FixstreamWire

/// A request of the live state API, parsed from its path and query.
///
/// `GET /vehicles?after=ID&limit=N` (a page, in id order, limit 1 to 1,000, default 100), `GET /vehicles/{id}`,
/// `GET /trips/{id}` and `GET /track/{tracking}`; ids are percent-decoded path segments.
enum StateRequest: Equatable {
    case vehicles(after: VehicleID?, limit: Int)
    case vehicle(VehicleID)
    case trip(id: String)
    case track(String)

    /// A customer's tracking page needs only its tracking number; the rest needs the read token.
    var needsToken: Bool {
        if case .track = self { return false }
        return true
    }

    /// The request for `path`, nil when the path is not a state path, or a refusal naming what is wrong.
    static func parse(path: UnsafeRawBufferPointer, query: UnsafeRawBufferPointer?) -> Result<StateRequest, HTTPError>?
    {
        if path.elementsEqual("/vehicles".utf8) { return vehicles(query) }
        for (prefix, make) in segments {
            guard path.count > prefix.count, path.starts(with: prefix) else { continue }
            let segment = UnsafeRawBufferPointer(rebasing: path[prefix.count...])
            guard let text = PathSegment.decode(segment) else {
                return .failure(HTTPError(.badRequest, reason: "invalid_id", detail: "the id in the path is not valid"))
            }
            return make(text)
        }
        return nil
    }

    private static let segments: [([UInt8], @Sendable (String) -> Result<StateRequest, HTTPError>)] = [
        (
            Array("/vehicles/".utf8),
            { text in
                guard let vehicle = VehicleID(text) else {
                    return .failure(HTTPError(.notFound, reason: "no_such_vehicle", detail: "no vehicle \"\(text)\""))
                }
                return .success(.vehicle(vehicle))
            }
        ),
        (Array("/trips/".utf8), { .success(.trip(id: $0)) }),
        (Array("/track/".utf8), { .success(.track($0)) }),
    ]

    private static func vehicles(_ query: UnsafeRawBufferPointer?) -> Result<StateRequest, HTTPError> {
        let values: [String: String]
        switch QueryParameters.parse(query, allowed: ["after", "limit"]) {
        case .success(let parsed): values = parsed
        case .failure(let error): return .failure(error)
        }
        var after: VehicleID?
        if let text = values["after"] {
            guard let vehicle = VehicleID(text) else {
                return .failure(QueryParameters.invalid("after must be a vehicle id, not '\(text)'"))
            }
            after = vehicle
        }
        var limit = 100
        if let text = values["limit"] {
            guard let number = Int(text), (1 ... 1000).contains(number) else {
                return .failure(QueryParameters.invalid("limit must be 1 to 1000, not '\(text)'"))
            }
            limit = number
        }
        return .success(.vehicles(after: after, limit: limit))
    }
}
