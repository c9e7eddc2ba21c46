import FixstreamJSON
import FixstreamWire

/// The ETA part of the score: for every served stop and horizon h, the prediction in force at (true arrival − h)
/// (the latest `process --eta` line of that vehicle at or before then, if not older than the staleness limit)
/// against the true arrival.
///
/// Streams: a line is kept as bytes until the next line of the same vehicle shows whether it was the last one
/// before a moment that needs it, and only such lines are parsed in full.
struct ETAScorer {
    private struct Need {
        var at: Int64
        var arrival: Int64
        var stop: String
        var horizon: Int
    }

    private struct Vehicle {
        var needs: [Need] = []
        var next = 0
        var previous: [UInt8] = []
        var previousTime = Int64.min
        var trip = ""
    }

    private let rules: ScoreRules
    /// Vehicles with arrivals to score, and where each is in `vehicles` (updated in place: no copies per line).
    private var vehicles: [Vehicle] = []
    private var index: [[UInt8]: Int] = [:]
    private var errors: [[Double]]
    private var missing: [Int]
    private(set) var lines = 0

    init(truth events: [TruthEvent], rules: ScoreRules) {
        self.rules = rules
        errors = Array(repeating: [], count: rules.etaHorizons.count)
        missing = Array(repeating: 0, count: rules.etaHorizons.count)
        var on: [String: Int64] = [:]
        var trips: [String: String] = [:]
        for case .power(let power) in events {
            on[power.vehicle] = power.on
            trips[power.vehicle] = power.trip
        }
        for case .stop(let stop) in events where !stop.initial {
            for (horizon, ahead) in rules.etaHorizons.enumerated() {
                let at = stop.arrived - ahead
                // Before the tracker was on there is no prediction to score.
                guard at >= (on[stop.vehicle] ?? .max) else { continue }
                let key = Array(stop.vehicle.utf8)
                if index[key] == nil {
                    index[key] = vehicles.count
                    vehicles.append(Vehicle(trip: stop.trip))
                }
                vehicles[index[key]!].needs.append(
                    Need(at: at, arrival: stop.arrived, stop: stop.stop, horizon: horizon)
                )
            }
        }
        for position in vehicles.indices { vehicles[position].needs.sort { $0.at < $1.at } }
    }

    static let prefix = Array(#"{"type":"eta","vehicle":""#.utf8)

    static func isETALine(_ line: UnsafeRawBufferPointer) -> Bool {
        line.count > prefix.count && zip(line, prefix).allSatisfy { $0 == $1 }
    }

    mutating func add(line: UnsafeRawBufferPointer) {
        lines += 1
        // `{"type":"eta","vehicle":"V","time":"T",…`: the vehicle and time are at fixed places.
        let start = Self.prefix.count
        guard let quote = line[start...].firstIndex(of: UInt8(ascii: "\"")) else { return }
        guard let position = index[Array(line[start ..< quote])] else { return }
        let timeStart = quote + #"","time":""#.utf8.count
        guard timeStart + 24 <= line.count,
            let time = TimestampText.parse(UnsafeRawBufferPointer(rebasing: line[timeStart ..< timeStart + 24]))
        else { return }
        while vehicles[position].next < vehicles[position].needs.count
            && vehicles[position].needs[vehicles[position].next].at < time
        {
            let need = vehicles[position].needs[vehicles[position].next]
            score(need, line: vehicles[position].previous, time: vehicles[position].previousTime)
            vehicles[position].next += 1
        }
        if vehicles[position].next < vehicles[position].needs.count {
            vehicles[position].previous.removeAll(keepingCapacity: true)
            vehicles[position].previous.append(contentsOf: line)
            vehicles[position].previousTime = time
        }
    }

    private mutating func score(_ need: Need, line: [UInt8], time: Int64) {
        guard time != .min, need.at - time <= rules.etaStaleness,
            let value = try? JSONValue.parse(line), let stops = value["stops"]?.array,
            let entry = stops.first(where: { $0["stop"]?.string == need.stop }),
            entry["status"]?.string == "pending", let text = entry["eta"]?.string, let eta = TimeText.parse(text)
        else {
            missing[need.horizon] += 1
            return
        }
        errors[need.horizon].append(Double(eta - need.arrival) / 1000)
    }

    mutating func finish() -> [ScoreReport.ETAScore] {
        for position in vehicles.indices {
            while vehicles[position].next < vehicles[position].needs.count {
                let need = vehicles[position].needs[vehicles[position].next]
                score(need, line: vehicles[position].previous, time: vehicles[position].previousTime)
                vehicles[position].next += 1
            }
        }
        return rules.etaHorizons.indices.map { index in
            var score = ScoreReport.ETAScore(horizon: Int(rules.etaHorizons[index] / 1000))
            let values = errors[index]
            score.count = values.count
            score.missing = missing[index]
            guard !values.isEmpty else { return score }
            let sorted = values.sorted()
            score.meanAbsoluteError = values.map(abs).reduce(0, +) / Double(values.count)
            score.bias = values.reduce(0, +) / Double(values.count)
            score.p50 = Self.percentile(sorted, 0.5)
            score.p90 = Self.percentile(sorted, 0.9)
            return score
        }
    }

    /// The `fraction` percentile of sorted values (nearest rank).
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[max(0, min(sorted.count - 1, rank))]
    }
}

/// RFC 3339 text in raw bytes to milliseconds since the epoch.
enum TimestampText {
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        TimestampParser.rfc3339(bytes)?.millisecondsSinceEpoch
    }
}
