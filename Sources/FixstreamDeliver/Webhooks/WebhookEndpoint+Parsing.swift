public import FixstreamJSON
import FixstreamStore

extension WebhookEndpoint {
    /// The keys an endpoint object may have.
    public static let configurationKeys: [String] = [
        "name", "url", "secret", "vehicle", "type", "fence", "trip", "batch-size", "timeout", "max-age", "from",
    ]

    /// Reads the configuration file's `webhooks` value: an array of endpoint objects.
    ///
    /// Each object has `name`, `url` and `secret` (strings, required); the filters `vehicle`, `type` (a type
    /// prefix such as `geofence.`), `fence` and `trip` (strings); `batch-size` (an integer, 1 to 1,000, default
    /// 100); `timeout` and `max-age` (seconds, numbers, default 10 and 86,400); `from` (`"latest"`, the default,
    /// or `"start"`: where an endpoint without a cursor begins). Any other key, a key given twice, and two
    /// endpoints with one name are refused.
    ///
    /// - Parameter value: the `webhooks` value.
    /// - Returns: the endpoints in document order.
    /// - Throws: ``WebhookError`` naming the endpoint (index, and name once known), the key and what is accepted.
    public static func parse(_ value: JSONValue) throws(WebhookError) -> [WebhookEndpoint] {
        guard let elements = value.array else {
            throw WebhookError(.invalidDocument, "must be an array of endpoint objects, not a \(value.typeName)")
        }
        var endpoints: [WebhookEndpoint] = []
        var names: Set<String> = []
        for (index, element) in elements.enumerated() {
            let endpoint = try parseEndpoint(element, index: index)
            guard names.insert(endpoint.name).inserted else {
                throw WebhookError(
                    .duplicateName,
                    "another endpoint already has this name",
                    index: index,
                    endpoint: endpoint.name,
                    key: "name"
                )
            }
            endpoints.append(endpoint)
        }
        return endpoints
    }

    private static func parseEndpoint(_ value: JSONValue, index: Int) throws(WebhookError) -> WebhookEndpoint {
        guard let members = value.object else {
            throw WebhookError(.invalidDocument, "must be an object, not a \(value.typeName)", index: index)
        }
        let name = members.first { $0.key == "name" }?.value.string
        var seen: Set<String> = []
        for (key, _) in members {
            guard configurationKeys.contains(key) else {
                throw WebhookError(
                    .unknownKey,
                    "unknown key (known: \(configurationKeys.joined(separator: ", ")))",
                    index: index,
                    endpoint: name,
                    key: key
                )
            }
            guard seen.insert(key).inserted else {
                throw WebhookError(.invalidValue, "given twice", index: index, endpoint: name, key: key)
            }
        }
        let reader = MemberReader(members: members, index: index, endpoint: name)
        do throws(WebhookError) {
            return try WebhookEndpoint(
                name: try reader.requiredString("name"),
                url: try reader.requiredString("url"),
                secret: try reader.requiredString("secret"),
                filter: JournalFilter(
                    vehicle: try reader.string("vehicle"),
                    typePrefix: try reader.string("type"),
                    fence: try reader.string("fence"),
                    trip: try reader.string("trip")
                ),
                batchSize: try reader.integer("batch-size") ?? 100,
                timeout: try reader.seconds("timeout") ?? .seconds(10),
                maxAge: try reader.seconds("max-age") ?? .seconds(86_400),
                from: try reader.startPosition("from") ?? .latest
            )
        } catch {
            var located = error
            located.index = index
            throw located
        }
    }
}

/// Typed access to one endpoint object's members, with errors that name the endpoint and the key.
private struct MemberReader {
    let members: [(key: String, value: JSONValue)]
    let index: Int
    let endpoint: String?

    func value(_ key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    func invalid(_ key: String, _ message: String) -> WebhookError {
        WebhookError(.invalidValue, message, index: index, endpoint: endpoint, key: key)
    }

    func string(_ key: String) throws(WebhookError) -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.string else { throw invalid(key, "must be a string, not a \(value.typeName)") }
        return text
    }

    func requiredString(_ key: String) throws(WebhookError) -> String {
        guard let text = try string(key) else {
            throw WebhookError(.missingKey, "is required", index: index, endpoint: endpoint, key: key)
        }
        return text
    }

    func integer(_ key: String) throws(WebhookError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let number = value.number, number.rounded() == number, abs(number) < 1e15 else {
            throw invalid(key, "must be an integer, not \(value.serializedText)")
        }
        return Int(number)
    }

    func seconds(_ key: String) throws(WebhookError) -> Duration? {
        guard let value = value(key) else { return nil }
        guard let number = value.number, number.isFinite, number > 0, number < 1e12 else {
            throw invalid(key, "must be a number of seconds above 0, not \(value.serializedText)")
        }
        return .milliseconds(Int64((number * 1000).rounded()))
    }

    func startPosition(_ key: String) throws(WebhookError) -> WebhookEndpoint.StartPosition? {
        guard let value = value(key) else { return nil }
        switch value.string {
        case "latest": return .latest
        case "start": return .start
        default: throw invalid(key, "must be \"latest\" or \"start\", not \(value.serializedText)")
        }
    }
}
