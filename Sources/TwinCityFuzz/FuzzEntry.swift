// Entry points of the parser fuzzer. Built with `-sanitize=fuzzer -D TWINCITY_LIBFUZZER`
// (.ci/fuzz), libFuzzer owns `main` and calls `LLVMFuzzerTestOneInput` with each input; in
// any other build the program replays the files named on its command line, so that a crash
// found by the fuzzer can be reproduced and debugged without the fuzzing runtime.
import Foundation

/// The harness of this process, built on first use; `nil` after a failed set-up (reported).
nonisolated(unsafe) private var sharedHarness: ParserHarness?

/// Builds the sandbox once and arranges for its removal when the process exits normally
/// (libFuzzer ends with `exit`, which runs `atexit` handlers).
private func harness() -> ParserHarness {
    if let sharedHarness { return sharedHarness }
    do {
        let made = try ParserHarness(checkout: ParserHarness.checkoutFromEnvironment())
        sharedHarness = made
        atexit { sharedHarness?.removeSandbox() }
        return made
    } catch {
        FileHandle.standardError.write(Data("twincity-fuzz: cannot set up: \(error)\n".utf8))
        exit(2)
    }
}

#if TWINCITY_LIBFUZZER

/// The parser this fuzzing process feeds, from `TWINCITY_FUZZ_TARGET`.
nonisolated(unsafe) private var fuzzedTarget: ParserTarget?

/// libFuzzer's callback: one input, run through the parser chosen by `TWINCITY_FUZZ_TARGET`
/// (`scenario`, `roster` or `sweep`). A broken contract stops the process with a message, so
/// libFuzzer keeps the input as a crash reproducer.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if fuzzedTarget == nil {
        guard let target = ParserTarget.fromEnvironment() else {
            FileHandle.standardError.write(Data("twincity-fuzz: TWINCITY_FUZZ_TARGET must be one of \(ParserTarget.allCases.map(\.rawValue))\n".utf8))
            exit(2)
        }
        fuzzedTarget = target
    }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        _ = try harness().run(fuzzedTarget!, bytes: bytes)
    } catch {
        fatalError("\(error)")
    }
    return 0
}

#else

/// `TwinCityFuzz [--target scenario|roster|sweep] FILE…`: runs each file through the parser
/// (default: `TWINCITY_FUZZ_TARGET`, else `scenario`) and prints, per file, `accepted` or the
/// first line of the error. Exit status 0 when every parser kept its contract, 1 otherwise.
@main
struct ReplayFiles {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var target = ParserTarget.fromEnvironment() ?? .scenario
        if let flag = arguments.firstIndex(of: "--target") {
            guard flag + 1 < arguments.count, let chosen = ParserTarget(rawValue: arguments[flag + 1]) else {
                FileHandle.standardError.write(Data("usage: TwinCityFuzz [--target scenario|roster|sweep] FILE...\n".utf8))
                exit(2)
            }
            target = chosen
            arguments.removeSubrange(flag...(flag + 1))
        }
        var broken = false
        for path in arguments {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot be read")
                broken = true
                continue
            }
            do {
                switch try harness().run(target, bytes: Array(data)) {
                case .accepted: print("\(path): accepted")
                case .refused(let message): print("\(path): refused: \(message.prefix { $0 != "\n" })")
                }
            } catch {
                print("\(path): CONTRACT BROKEN: \(error)")
                broken = true
            }
        }
        exit(broken ? 1 : 0)
    }
}

#endif
