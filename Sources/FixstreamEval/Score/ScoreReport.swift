public import FixstreamJSON

/// What ``AlertScorer`` found: per alert type, the expectations met and missed and the alerts that met none;
/// per ETA horizon, the error of the predictions.
public struct ScoreReport: Sendable {
    /// The alert types the truth can judge. `eta.changed` is judged through the ETA errors instead.
    public static let scoredTypes = [
        "geofence.enter", "geofence.exit", "geofence.dwell", "idle.start", "idle.end", "route.deviation",
        "route.rejoin", "stop.approaching", "stop.arrived", "stop.departed", "eta.late", "gps.lost", "gps.restored",
    ]

    /// How many missed expectations and false alerts each type keeps as examples.
    public static let examples = 20

    /// One alert type.
    public struct TypeScore: Sendable {
        /// The type's name.
        public var type: String
        /// Clear expectations.
        public var expected = 0
        /// Clear expectations met by an alert (true positives).
        public var matched = 0
        /// Ambiguous expectations.
        public var ambiguous = 0
        /// Alerts that met an ambiguous expectation (counted neither way).
        public var absorbed = 0
        /// Alerts raised.
        public var alerts = 0
        /// Alerts that met no expectation (false positives).
        public var falseAlerts = 0
        /// Up to a few missed expectations, described.
        public var missedExamples: [String] = []
        /// Up to a few false alerts, described.
        public var falseExamples: [String] = []

        /// Creates an empty score.
        public init(type: String) {
            self.type = type
        }

        /// Clear expectations not met (false negatives).
        public var missed: Int { expected - matched }

        /// matched / (matched + false alerts), or nil without either.
        public var precision: Double? {
            matched + falseAlerts > 0 ? Double(matched) / Double(matched + falseAlerts) : nil
        }

        /// matched / expected, or nil without clear expectations.
        public var recall: Double? { expected > 0 ? Double(matched) / Double(expected) : nil }
    }

    /// ETA error at one horizon, seconds (predicted minus actual arrival).
    public struct ETAScore: Sendable {
        /// Seconds before the true arrival.
        public var horizon: Int
        /// Predictions scored.
        public var count = 0
        /// Arrivals with no usable prediction then (silent vehicle, stop not pending for the follower).
        public var missing = 0
        /// Mean absolute error.
        public var meanAbsoluteError = 0.0
        /// Mean error (positive: predicted too late).
        public var bias = 0.0
        /// Median error.
        public var p50 = 0.0
        /// 90th percentile of the error.
        public var p90 = 0.0

        /// Creates an empty score.
        public init(horizon: Int) {
            self.horizon = horizon
        }
    }

    /// Per scored type, in ``scoredTypes`` order.
    public var types: [TypeScore] = []
    /// Alerts of types the truth does not judge, by type.
    public var notScored: [(type: String, count: Int)] = []
    /// Per ETA horizon, longest first.
    public var eta: [ETAScore] = []
    /// ETA lines read.
    public var etaLines = 0
    /// Lines that could not be read.
    public var unreadableLines = 0

    /// Creates an empty report.
    public init() {}

    /// The score of `type`.
    public subscript(type: String) -> TypeScore? { types.first { $0.type == type } }

    /// A table for people: columns as wide as their widest cell.
    public func table() -> String {
        func ratio(_ value: Double?) -> String {
            guard let value else { return "-" }
            return String((value * 1000).rounded() / 1000)
        }
        func render(_ rows: [[String]]) -> [String] {
            var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
            for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
            return rows.map { row in
                row.enumerated().map { index, cell in
                    let padding = String(repeating: " ", count: widths[index] - cell.count)
                    return index == 0 ? cell + padding : "  " + padding + cell
                }.joined()
            }
        }
        var rows = [["type", "expected", "matched", "missed", "alerts", "false", "ambig.", "precision", "recall"]]
        for score in types {
            rows.append([
                score.type, String(score.expected), String(score.matched), String(score.missed), String(score.alerts),
                String(score.falseAlerts), "\(score.ambiguous)/\(score.absorbed)", ratio(score.precision),
                ratio(score.recall),
            ])
        }
        var lines = render(rows)
        for (type, count) in notScored { lines.append("\(type): \(count) alerts, not scored") }
        lines.append("")
        guard etaLines > 0 else {
            lines.append("ETA: no ETA lines in the alerts (run process with --eta)")
            return lines.joined(separator: "\n") + "\n"
        }
        var etaRows = [["ETA horizon", "n", "missing", "MAE s", "bias s", "p50 s", "p90 s"]]
        for score in eta {
            etaRows.append([
                "\(score.horizon / 60) min", String(score.count), String(score.missing),
                String(Int(score.meanAbsoluteError.rounded())), String(Int(score.bias.rounded())),
                String(Int(score.p50.rounded())), String(Int(score.p90.rounded())),
            ])
        }
        lines.append(contentsOf: render(etaRows))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary as one JSON object.
    public var json: JSONValue {
        func number(_ value: Double?) -> JSONValue {
            value.map { .number(($0 * 10_000).rounded() / 10_000) } ?? .null
        }
        var types: [(key: String, value: JSONValue)] = []
        for score in self.types {
            types.append(
                (
                    score.type,
                    .object([
                        ("expected", .number(Double(score.expected))),
                        ("matched", .number(Double(score.matched))),
                        ("alerts", .number(Double(score.alerts))),
                        ("false", .number(Double(score.falseAlerts))),
                        ("ambiguous", .number(Double(score.ambiguous))),
                        ("absorbed", .number(Double(score.absorbed))),
                        ("precision", number(score.precision)),
                        ("recall", number(score.recall)),
                    ])
                )
            )
        }
        let eta: [JSONValue] = self.eta.map { score in
            .object([
                ("horizon", .number(Double(score.horizon))),
                ("n", .number(Double(score.count))),
                ("missing", .number(Double(score.missing))),
                ("mae", number(score.count > 0 ? score.meanAbsoluteError : nil)),
                ("bias", number(score.count > 0 ? score.bias : nil)),
                ("p50", number(score.count > 0 ? score.p50 : nil)),
                ("p90", number(score.count > 0 ? score.p90 : nil)),
            ])
        }
        return .object([
            ("types", .object(types)),
            ("not_scored", .object(notScored.map { ($0.type, .number(Double($0.count))) })),
            ("eta", .array(eta)),
            ("eta_lines", .number(Double(etaLines))),
        ])
    }
}
