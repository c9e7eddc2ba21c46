import CFixstreamNet

/// Facts about the processors this process may use.
public enum CPU {
    /// How many CPUs this process may run on: its affinity mask (which honours `taskset` and cpusets), else the
    /// online CPUs; at least 1. Read once, at first use.
    public static let count = Int(CFixstreamNet_available_cpus())
}
