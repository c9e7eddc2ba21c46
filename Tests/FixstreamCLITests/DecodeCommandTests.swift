import FixstreamCLI
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `fixstream decode` run in-process on files the tests write: output lines, the summary, exit statuses.
struct DecodeCommandTests {
    static let rmc = "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A"
    /// What ``rmc`` decodes to, after the vehicle.
    static let rmcFields =
        #""time":"1994-03-23T12:35:19.000Z","lat":48.11730000,"lon":11.51666667,"#
        + #""speed":11.524,"course":84.40}"#

    // MARK: Decoding

    @Test func decodesAFileIntoJSONLinesAndASummary() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(
            "van-12.log",
            """
            # recorded by hand
            \(Self.rmc)
            {"id":"bus-3","t":"2026-11-22T12:00:00.123+02:00","lat":46.5,"lon":7.25,"speed":3}
            {"id":"bus-3","t":"2026-11-22T10:00:01Z","lat":95,"lon":7.25}

            """
        )
        let run = try decode([path])
        #expect(run.status == 0)
        #expect(
            run.stdoutLines.sorted() == [
                #"{"vehicle":"bus-3","time":"2026-11-22T10:00:00.123Z","lat":46.50000000,"lon":7.25000000,"#
                    + #""speed":3.000}"#,
                #"{"vehicle":"van-12","# + Self.rmcFields,
            ]
        )
        #expect(
            run.stderr == "fixstream decode: 2 fixes; rejected 1 (bad_coordinates=1); ignored 1 (comment=1); "
                + "sentences=1 json_objects=2\n"
        )
    }

    @Test func namesFixesWithoutAnIDAfterTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let nmea = try directory.write("truck-9.nmea", Self.rmc + "\r\n")
        let json = try directory.write("phone_4.jsonl", #"{"t":1700000000,"lat":1,"lon":2}"# + "\n")
        let run = try decode([nmea, json])
        #expect(run.status == 0)
        #expect(
            run.stdoutLines.sorted() == [
                #"{"vehicle":"phone_4","time":"2023-11-14T22:13:20.000Z","lat":1.00000000,"lon":2.00000000}"#,
                #"{"vehicle":"truck-9","# + Self.rmcFields,
            ]
        )
        #expect(run.stderr.hasPrefix("fixstream decode: 2 fixes; rejected 0; "))
    }

    @Test func replacesCharactersAnIDCannotHoldInTheFileName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("my van.nmea", Self.rmc + "\n")
        let run = try decode([path])
        #expect(run.stdoutLines.first?.hasPrefix(#"{"vehicle":"my_van","#) == true)
    }

    @Test func namesFixesAfterTheVehicleOption() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("truck-9.nmea", Self.rmc + "\n" + #"{"id":"own","t":1,"lat":1,"lon":2}"# + "\n")
        let run = try decode(["--vehicle", "bus-1", path])
        #expect(run.status == 0)
        #expect(
            run.stdoutLines.sorted() == [
                #"{"vehicle":"bus-1","# + Self.rmcFields,
                #"{"vehicle":"own","time":"1970-01-01T00:00:01.000Z","lat":1.00000000,"lon":2.00000000}"#,
            ]
        )
    }

    @Test func writesCoordinatesWithAtLeastSevenDecimals() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(
            "v.jsonl",
            """
            {"id":"a","t":1700000000,"lat":46.123456789,"lon":-7.1}
            {"id":"a","t":1700000001,"lat":0,"lon":179.99999999}
            {"id":"a","t":1700000002,"lat":-0.00000001,"lon":1e-7}
            \(Self.rmc)

            """
        )
        let run = try decode([path])
        #expect(run.stdoutLines.count == 4)
        for line in run.stdoutLines {
            for key in ["lat", "lon"] {
                let decimals = try #require(decimalsOf(key, in: line), "\(key) in \(line)")
                #expect(decimals >= 7, "\(key) in \(line)")
            }
        }
        #expect(run.stdoutLines.first?.contains(#""lat":46.12345679,"lon":-7.10000000"#) == true)
    }

    @Test func exitsZeroWhenEveryLineIsRejected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(
            "junk.txt",
            """
            hello
            {"id":"a","t":"never","lat":1,"lon":2}
            $GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*00

            """
        )
        let run = runFixstream(["decode", path])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        #expect(
            run.stderr == "fixstream decode: 0 fixes; rejected 3 (unrecognized=1 bad_checksum=1 bad_time=1); "
                + "ignored 0; sentences=0 json_objects=1\n"
        )
    }

    @Test func refusesNMEAWhenTheFormatIsJSON() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("mixed.log", Self.rmc + "\n" + #"{"id":"a","t":1,"lat":1,"lon":2}"# + "\n")
        let run = try decode(["--format", "json", path])
        #expect(run.status == 0)
        #expect(
            run.stdoutLines == [#"{"vehicle":"a","time":"1970-01-01T00:00:01.000Z","lat":1.00000000,"lon":2.00000000}"#]
        )
        #expect(
            run.stderr == "fixstream decode: 1 fixes; rejected 1 (unrecognized=1); ignored 0; sentences=0 "
                + "json_objects=1\n"
        )
    }

    @Test func refusesJSONWhenTheFormatIsNMEA() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("mixed.log", Self.rmc + "\n" + #"{"id":"a","t":1,"lat":1,"lon":2}"# + "\n")
        let run = try decode(["--format=nmea", path])
        #expect(run.status == 0)
        #expect(run.stdoutLines == [#"{"vehicle":"mixed","# + Self.rmcFields])
        #expect(run.stderr.contains("rejected 1 (unrecognized=1)"))
        #expect(run.stderr.contains("json_objects=0"))
    }

    // MARK: Help and errors

    @Test(arguments: [["decode", "--help"], ["decode", "-h"], ["decode", "--format", "json", "--help"]])
    func printsUsageOnHelp(arguments: [String]) {
        let run = runFixstream(arguments)
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("Usage: fixstream decode [--format auto|nmea|json] [--vehicle ID]"))
        #expect(run.stdout.contains("--max-line N"))
        #expect(run.stderr.isEmpty)
    }

    @Test(arguments: [
        (["--bogus"], "fixstream: unknown option '--bogus'"),
        (["-x"], "fixstream: unknown option '-x'"),
        (["--format", "xml"], "fixstream: unknown format 'xml' (expected auto, nmea or json)"),
        (["--format"], "fixstream: option '--format' needs a value"),
        (["--max-line", "8"], "fixstream: invalid --max-line '8': a whole number from 16 to 1048576"),
        (
            ["--vehicle", "has space"],
            "fixstream: invalid vehicle id 'has space': 1 to 48 printable characters, no spaces or quotes"
        ),
        (["--vehicle="], "fixstream: invalid vehicle id '': 1 to 48 printable characters, no spaces or quotes"),
    ])
    func refusesBadOptionsWithStatusTwo(arguments: [String], message: String) {
        let run = runFixstream(["decode", "/nonexistent/never-read.log"] + arguments)
        #expect(run.status == 2)
        #expect(run.stderr == message + "\n")
        #expect(run.stdout.isEmpty)
    }

    @Test func refusesAVehicleIDLongerThanTheCapacity() {
        let run = runFixstream([
            "decode", "--vehicle", String(repeating: "v", count: 49), "/nonexistent/never-read.log",
        ])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("fixstream: invalid vehicle id 'vvvv"))
        #expect(run.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test func reportsAMissingFileWithStatusOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.path("absent.nmea")
        let run = runFixstream(["decode", missing])
        #expect(run.status == 1)
        #expect(run.stderr == "fixstream: cannot open '\(missing)': No such file or directory\n")
        #expect(run.stdout.isEmpty)
    }

    @Test func writesNothingWhenALaterFileIsMissing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let good = try directory.write("good.nmea", Self.rmc + "\n")
        let missing = directory.path("absent.nmea")
        let run = runFixstream(["decode", good, missing])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(missing))
        #expect(run.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test func reportsADirectoryWithStatusOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = runFixstream(["decode", directory.url.path])
        #expect(run.status == 1)
        #expect(run.stderr == "fixstream: cannot read '\(directory.url.path)': is a directory\n")
        #expect(run.stdout.isEmpty)
    }

    @Test(.enabled(if: getuid() != 0, "root reads any file"))
    func reportsAnUnreadableFileWithStatusOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("secret.nmea", Self.rmc + "\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path)
        let run = runFixstream(["decode", path])
        #expect(run.status == 1)
        #expect(run.stderr == "fixstream: cannot open '\(path)': Permission denied\n")
        #expect(run.stdout.isEmpty)
    }

    @Test func refusesAnUnknownCommand() {
        let run = runFixstream(["decoder"])
        #expect(run.status == 2)
        #expect(run.stderr == "fixstream: unknown command 'decoder' (see 'fixstream help')\n")
    }

    // MARK: Helpers

    /// Runs `fixstream decode` through ``DecodeCommand/run(_:stdout:stderr:)``.
    private func decode(_ arguments: [String]) throws -> CommandRun {
        let stdout = MemoryOutput()
        let stderr = MemoryOutput()
        let status = try DecodeCommand.run(arguments, stdout: stdout, stderr: stderr)
        return CommandRun(status: status, stdout: stdout.text, stderr: stderr.text)
    }

    /// How many digits follow the decimal point of the number written after `"key":` in `line`.
    private func decimalsOf(_ key: String, in line: String) -> Int? {
        guard let start = line.range(of: "\"\(key)\":")?.upperBound else { return nil }
        let number = line[start...].prefix { $0 == "-" || $0 == "." || $0.isNumber }
        guard let dot = number.firstIndex(of: ".") else { return 0 }
        return number.distance(from: dot, to: number.endIndex) - 1
    }
}
