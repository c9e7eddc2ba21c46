#if canImport(Glibc)
    import Glibc
#endif

/// The few file-system and clock calls the store makes, each checked, with errors as ``StoreError``.
enum FileSystem {
    /// Creates `path` and any missing parents (like `mkdir -p`); an existing directory is fine.
    static func makeDirectories(_ path: String) throws(StoreError) {
        guard !path.isEmpty else { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 {
                let code = errno
                var info = stat()
                guard code == EEXIST, stat(prefix, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                    let reason = code == EEXIST ? "exists and is not a directory" : String(cString: strerror(code))
                    throw StoreError(.io, "cannot create directory '\(prefix)': \(reason)")
                }
            }
            prefix += "/"
        }
    }

    /// Wall-clock time in milliseconds since the Unix epoch.
    static func nowMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
