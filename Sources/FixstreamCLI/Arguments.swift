/// Parses `--name value`, `--name=value`, boolean `--name`, `-h`/`--help`, `--` and positional arguments.
///
/// Flags are declared up front so that an unknown flag or a missing value is an error naming it.
struct Arguments {
    /// Values by flag name (without dashes); booleans map to "true".
    private(set) var values: [String: String] = [:]
    /// Positional arguments in order (`-` stays as is: it means stdin).
    private(set) var positional: [String] = []
    /// Whether `-h` or `--help` was given.
    private(set) var wantsHelp = false

    /// Parses `arguments` given the flags that take a value and those that do not.
    init(_ arguments: [String], valued: Set<String>, boolean: Set<String> = []) throws {
        var i = 0
        var onlyPositional = false
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            if onlyPositional || argument == "-" || !argument.hasPrefix("-") {
                positional.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositional = true
                continue
            }
            if argument == "-h" || argument == "--help" {
                wantsHelp = true
                continue
            }
            guard argument.hasPrefix("--") else { throw CLIError(.usage, "unknown option '\(argument)'") }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if valued.contains(name) {
                if value == nil {
                    guard i < arguments.count else { throw CLIError(.usage, "option '--\(name)' needs a value") }
                    value = arguments[i]
                    i += 1
                }
                values[name] = value
            } else if boolean.contains(name) {
                guard value == nil else { throw CLIError(.usage, "option '--\(name)' takes no value") }
                values[name] = "true"
            } else {
                throw CLIError(.usage, "unknown option '--\(name)'")
            }
        }
    }

    subscript(name: String) -> String? { values[name] }
}
