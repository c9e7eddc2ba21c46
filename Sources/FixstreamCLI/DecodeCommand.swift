import FixstreamWire

/// `fixstream decode`: NMEA and JSON in, one JSON line per fix out, a summary of rejects on stderr.
public enum DecodeCommand {
    static let usage = """
        Usage: fixstream decode [--format auto|nmea|json] [--vehicle ID] [FILE|-]...

        Decodes NMEA 0183 sentences and JSON position objects (native, gpsd TPV, OwnTracks) into one JSON line
        per fix on stdout. With no FILE, or with -, reads standard input. Ends with one summary line on stderr:
        fixes emitted, rejects by reason, ignored input by kind.

        Options:
          --format F     auto (default: NMEA and JSON told apart per line), nmea or json
          --vehicle ID   id for fixes whose input carries none (default: the file name without its
                         extension, or "stdin")
          --max-line N   longest NMEA line accepted, in bytes (default 1024)
          -h, --help     show this help

        Exit status: 0 when all input was read (even with rejected lines), 1 when a file cannot be read,
        2 on bad options.

        """

    /// Runs the command. Returns the exit status.
    public static func run(
        _ arguments: [String],
        stdout: some ByteOutput,
        stderr: some ByteOutput
    ) throws -> Int32 {
        let parsed = try Arguments(arguments, valued: ["format", "vehicle", "max-line"])
        if parsed.wantsHelp {
            try stdout.write(usage)
            return 0
        }
        let format = try Options.format(parsed["format"])
        let vehicle = try Options.vehicle(parsed["vehicle"])
        let maxLine =
            try parsed["max-line"].map { try Options.integer($0, flag: "max-line", range: 16 ... 1 << 20) } ?? 1024
        let paths = parsed.positional.isEmpty ? ["-"] : parsed.positional
        // Open every file first: a typo in the last name should fail before output starts.
        var inputs: [InputFile] = []
        for path in paths {
            inputs.append(try InputFile(path: path))
        }

        var total = DecodeStats()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: InputFile.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var fixes: [Fix] = []
        fixes.reserveCapacity(16_384)
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        for input in inputs {
            var decoder = FixDecoder(
                format: format,
                vehicle: vehicle ?? defaultVehicle(for: input.path),
                maxLineLength: maxLine
            )
            while true {
                let count = try input.read(into: buffer)
                if count == 0 { break }
                decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[0 ..< count]), into: &fixes)
                try flush(&fixes, &out, to: stdout)
            }
            decoder.finish(into: &fixes)
            try flush(&fixes, &out, to: stdout)
            total.merge(decoder.stats)
        }
        try stderr.write("fixstream decode: \(total.summary)\n")
        return 0
    }

    private static func flush(_ fixes: inout [Fix], _ out: inout [UInt8], to stdout: some ByteOutput) throws {
        for fix in fixes {
            FixJSONWriter.append(fix, to: &out)
        }
        fixes.removeAll(keepingCapacity: true)
        try out.withUnsafeBytes { try stdout.write($0) }
        out.removeAll(keepingCapacity: true)
    }

    /// The file name without directory and extension, as a vehicle id; "stdin" for standard input.
    static func defaultVehicle(for path: String) -> VehicleID? {
        guard path != "-" else { return VehicleID("stdin") }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let stem = name.lastIndex(of: ".").map { name[..<$0] }.flatMap { $0.isEmpty ? nil : String($0) } ?? name
        let cleaned = String(
            stem.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && VehicleID.isIDByte(UInt8(scalar.value)) ? Character(scalar) : "_"
            }.prefix(VehicleID.capacity)
        )
        return VehicleID(cleaned)
    }
}
