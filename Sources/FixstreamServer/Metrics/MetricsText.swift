/// Builds Prometheus text exposition format (version 0.0.4).
struct MetricsText {
    private(set) var text = ""

    /// `# HELP` and `# TYPE` lines of a metric family.
    mutating func family(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    /// One sample with labels (sorted by name, so output is stable).
    mutating func sample(_ name: String, _ labels: [String: String], _ value: Int) {
        text += name
        if !labels.isEmpty {
            text +=
                "{"
                + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }
                .joined(separator: ",") + "}"
        }
        text += " \(value)\n"
    }

    /// A raw line.
    mutating func line(_ line: String) {
        text += line + "\n"
    }

    /// A float in the plain form Prometheus parses.
    static func number(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    private static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
