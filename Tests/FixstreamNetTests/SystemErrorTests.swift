import FixstreamNet
import Testing

struct SystemErrorTests {
    @Test func describesOperationMessageAndCode() {
        let error = SystemError(code: .tooManyOpenFiles, operation: "accept4")
        #expect(error.description == "accept4: Too many open files (errno 24)")
        #expect(error.message == "Too many open files")
        let detailed = SystemError(code: .invalidArgument, operation: "inet_pton", detail: "not an address: 'x'")
        #expect(detailed.description == "inet_pton: Invalid argument (errno 22): not an address: 'x'")
    }

    @Test func codesCompareByValue() {
        #expect(SystemError.Code(rawValue: 104) == .connectionReset)
        #expect(SystemError.Code.connectionAborted != .connectionReset)
    }
}
