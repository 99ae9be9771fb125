// Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
// the browser reads commands on fd 3 and writes replies on fd 4, each a JSON text ended by
// NUL), so the tests need no WebDriver and no network port for the browser.
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class Chromium {
    /// The browser executable, or `nil` when none is installed.
    static var executable: String? {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: path) { return path }
        return nil
    }

    /// Throws XCTSkip without a browser, or fails when `CI=true` (CI installs it).
    static func required() throws -> String {
        if let path = executable { return path }
        let message = "chromium not found: install it with `bash .ci/install-deps --with-browser` (Debian package chromium)"
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail(message)
            throw TestFailure(message)
        }
        throw XCTSkip(message)
    }

    private let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private var buffer = Data()
    private var nextID = 0
    private var session: String?
    private let profile: URL

    /// Starts a headless browser with a fresh profile and opens one page.
    init(executable: String, width: Int = 1400, height: Int = 1000) throws {
        profile = try ServeSupport.temporaryFolder("chromium-profile")
        var commands: [Int32] = [0, 0], replies: [Int32] = [0, 0]
        guard pipe(&commands) == 0, pipe(&replies) == 0 else { throw TestFailure("pipe failed") }
        // Move the ends above 10 so that dup2 onto 3 and 4 never meets one of them.
        let childRead = fcntl(commands[0], F_DUPFD, 10), childWrite = fcntl(replies[1], F_DUPFD, 10)
        close(commands[0]); close(replies[1])
        toBrowser = fcntl(commands[1], F_DUPFD_CLOEXEC, 10); close(commands[1])
        fromBrowser = fcntl(replies[0], F_DUPFD_CLOEXEC, 10); close(replies[0])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, childRead, 3)
        posix_spawn_file_actions_adddup2(&actions, childWrite, 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [
            executable, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
            "--user-data-dir=\(profile.path)", "--window-size=\(width),\(height)", "about:blank",
        ]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, &argv, environ)
        close(childRead); close(childWrite)
        guard status == 0 else { throw TestFailure("posix_spawn \(executable): \(status)") }
        pid = child
        let target = try send("Target.createTarget", ["url": "about:blank"], inSession: false)
        let targetID = target["targetId"] as! String
        let attached = try send("Target.attachToTarget", ["targetId": targetID, "flatten": true], inSession: false)
        session = attached["sessionId"] as? String
        _ = try send("Page.enable")
        _ = try send("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false])
    }

    deinit {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(toBrowser); close(fromBrowser)
        try? FileManager.default.removeItem(at: profile)
    }

    /// Sends one command and waits (at most 120 s) for its reply's `result`.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], inSession: Bool = true) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": params]
        if inSession, let session { message["sessionId"] = session }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(toBrowser, raw.baseAddress! + offset, raw.count - offset)
                guard n > 0 else { throw TestFailure("write to chromium failed") }
                offset += n
            }
        }
        let deadline = Date().addingTimeInterval(120)
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let text = buffer[buffer.startIndex..<end]
                buffer = Data(buffer[(end + 1)...])
                guard let reply = try JSONSerialization.jsonObject(with: text) as? [String: Any],
                      reply["id"] as? Int == nextID else { continue }
                if let error = reply["error"] as? [String: Any] { throw TestFailure("\(method): \(error)") }
                return reply["result"] as? [String: Any] ?? [:]
            }
            var poller = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            let wait = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard poll(&poller, 1, wait) > 0 else { throw TestFailure("\(method): no reply from chromium within 120 s") }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = read(fromBrowser, &chunk, chunk.count)
            guard n > 0 else { throw TestFailure("\(method): chromium closed the pipe") }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value.
    func evaluate(_ expression: String) throws -> Any? {
        let result = try send("Runtime.evaluate", ["expression": expression, "awaitPromise": true, "returnByValue": true])
        if let exception = result["exceptionDetails"] as? [String: Any] {
            throw TestFailure("page script failed: \((exception["exception"] as? [String: Any])?["description"] ?? exception)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Opens `url` and waits until `readyExpression` is true in the page (at most 60 s).
    func open(_ url: String, until readyExpression: String) throws {
        try send("Page.navigate", ["url": url])
        for _ in 0..<600 {
            if (try? evaluate(readyExpression)) as? Bool == true { return }
            usleep(100_000)
        }
        throw TestFailure("\(url): \(readyExpression) not true within 60 s")
    }

    /// A PNG of the whole page.
    func screenshot() throws -> Data {
        let result = try send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
        guard let text = result["data"] as? String, let png = Data(base64Encoded: text) else { throw TestFailure("no screenshot") }
        return png
    }
}
