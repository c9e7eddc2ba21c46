@preconcurrency import Foundation

/// Runs named benchmarks: one warm-up, several timed samples, the median reported as JSON lines.
struct BenchSuite {
    let filter: String?
    var samples = 5

    init(filter: String?) {
        self.filter = filter
    }

    /// Times `work` (which returns a count the optimizer cannot drop) and prints one line per metric.
    mutating func run(
        _ name: String,
        work: () -> Int,
        metrics: (_ result: Int, _ seconds: Double) -> [(unit: String, value: Double)]
    ) {
        if let filter, !name.contains(filter) { return }
        var result = work()  // warm-up
        var times: [Double] = []
        for _ in 0 ..< samples {
            let start = ContinuousClock.now
            result = work()
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        times.sort()
        let median = times[times.count / 2]
        for (unit, value) in metrics(result, median) {
            let line = String(
                format:
                    #"{"name":"%@","unit":"%@","value":%.0f,"median_s":%.4f,"samples":%d,"min_s":%.4f,"max_s":%.4f}"#,
                name,
                unit,
                value,
                median,
                times.count,
                times.first!,
                times.last!
            )
            print(line)
            fflush(stdout)
        }
    }
}
