import FixstreamHTTP
import FixstreamWire

/// The parameters of an API query string, form-decoded (`%XX`, `+` for a space), by name; the last of a repeated
/// name wins. An unknown name is refused, so a typo never widens a filter, and so is a value that is not UTF-8.
enum QueryParameters {
    static func parse(_ query: UnsafeRawBufferPointer?, allowed: [String]) -> Result<[String: String], HTTPError> {
        var values: [String: String] = [:]
        guard let query else { return .success(values) }
        for field in FormFields(query) {
            let name = FormFields.withDecoded(field.name) { String(decoding: $0, as: UTF8.self) }
            guard allowed.contains(name) else {
                return .failure(invalid("unknown parameter '\(name)' (\(allowed.joined(separator: ", ")))"))
            }
            guard let value = FormFields.withDecoded(field.value, { String(validating: $0, as: UTF8.self) }) else {
                return .failure(invalid("the value of '\(name)' is not UTF-8 text"))
            }
            values[name] = value
        }
        return .success(values)
    }

    /// A 400 `invalid_query` saying what is wrong.
    static func invalid(_ detail: String) -> HTTPError {
        HTTPError(.badRequest, reason: "invalid_query", detail: detail)
    }
}
