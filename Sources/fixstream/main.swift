import FixstreamCLI

#if canImport(Glibc)
    import Glibc
#endif

let status = FixstreamCommand.main(
    Array(CommandLine.arguments.dropFirst()),
    stdout: FileDescriptorOutput(descriptor: 1),
    stderr: FileDescriptorOutput(descriptor: 2)
)
exit(status)
