import FixstreamGeo
import FixstreamJSON
import FixstreamServer
import FixstreamStore
import FixstreamTrips
import FixstreamWire

/// What `fences` and `trips` share: the data directory, opening the store, errors mapped to exit statuses, and
/// the JSON lines they list.
enum ControlData {
    /// The data directory `--data` names, or the server's default.
    static func directory(_ parsed: Arguments) -> String {
        parsed["data"] ?? ServerConfig(cores: 1).dataDirectory
    }

    /// Opens the control store in `directory`; a failure is an IO error (exit 1).
    static func open(_ directory: String) throws -> ControlStore {
        do {
            return try ControlStore(dataDirectory: directory)
        } catch {
            throw CLIError(.io, "cannot open the control store in '\(directory)': \(error)")
        }
    }

    /// Runs a store operation: invalid input (fences, trips) is a usage error (exit 2), a failing store an IO
    /// error (exit 1); `context` starts the message.
    static func perform<Result>(_ context: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as CLIError {
            throw error
        } catch let error as FenceError {
            throw CLIError(.usage, "\(context): \(error)")
        } catch let error as TripError {
            throw CLIError(.usage, "\(context): \(error)")
        } catch {
            throw CLIError(.io, "\(context): \(error)")
        }
    }

    /// The one positional argument an action takes (a file or an id), or a usage error naming what is missing.
    static func single(_ positional: ArraySlice<String>, _ what: String, command: String) throws -> String {
        guard let first = positional.first else {
            throw CLIError(
                .usage,
                "\(command): missing \(what) (see 'fixstream \(command.split(separator: " ")[0]) --help')"
            )
        }
        guard positional.count == 1 else {
            throw CLIError(.usage, "\(command): unexpected argument '\(positional[positional.startIndex + 1])'")
        }
        return first
    }

    /// Refuses positional arguments for an action that takes none.
    static func none(_ positional: ArraySlice<String>, command: String) throws {
        if let extra = positional.first { throw CLIError(.usage, "\(command): unexpected argument '\(extra)'") }
    }

    /// Writes one JSON object per line; `updated_at` (milliseconds) becomes RFC 3339 text.
    static func line(_ members: [(key: String, value: JSONValue)], to output: inout [UInt8]) {
        JSONValue.object(members).write(to: &output)
        output.append(UInt8(ascii: "\n"))
    }

    /// `2026-11-22T10:00:00.123Z` for milliseconds since the epoch.
    static func time(_ milliseconds: Int64) -> JSONValue {
        var text: [UInt8] = []
        FixJSONWriter.appendTime(Timestamp(millisecondsSinceEpoch: milliseconds), to: &text)
        return .string(String(decoding: text, as: UTF8.self))
    }

    /// `1 fence`, `2 fences`.
    static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
