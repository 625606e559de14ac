import Foundation
import Manifests

/// A failure talking to Chromium: it did not start, answered with an error, or took too long.
public struct BrowserError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Headless Chromium driven over the DevTools protocol through `--remote-debugging-pipe`
/// (JSON messages separated by NUL bytes on file descriptors 3 and 4), for browser tests.
///
/// ```swift
/// try await Chromium.with(folder: directory.path) { browser in
///     let page = try await browser.newPage()
///     try await page.navigate("http://127.0.0.1:8080/")
/// }
/// ```
public final class Chromium: @unchecked Sendable {
    private let process: Process
    private let input: FileHandle
    private let lock = NSLock()
    private var nextID = 0
    private var waiting: [Int: CheckedContinuation<JSONValue, any Error>] = [:]
    private var closed = false
    private var stderrPath: String

    /// The Chromium executable on PATH (`chromium`, `chromium-browser`, `google-chrome`), if any.
    public static func executable() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    /// Whether a Chromium executable is installed.
    public static var isAvailable: Bool { executable() != nil }

    /// Starts Chromium with a profile in `folder`, runs `body`, and stops it.
    public static func with<T: Sendable>(folder: String, _ body: (Chromium) async throws -> T) async throws -> T {
        let browser = try Chromium(folder: folder)
        do {
            let result = try await body(browser)
            browser.stop()
            return result
        } catch {
            browser.stop()
            throw error
        }
    }

    init(folder: String) throws {
        guard let executable = Self.executable() else { throw BrowserError("chromium is not installed") }
        let profile = folder + "/chromium-profile"
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        stderrPath = folder + "/chromium.log"
        let flags = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-sync", "--mute-audio", "--hide-scrollbars",
            "--user-data-dir=\(profile)", "--remote-debugging-pipe", "about:blank",
        ]
        let quoted = ([executable] + flags).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        // The pipe protocol reads commands on fd 3 and writes replies on fd 4.
        let toBrowser = Pipe()
        let fromBrowser = Pipe()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec \(quoted) 3<&0 4>&1 </dev/null >/dev/null 2>>'\(stderrPath)'"]
        process.standardInput = toBrowser
        process.standardOutput = fromBrowser
        try process.run()
        input = toBrowser.fileHandleForWriting
        let output = fromBrowser.fileHandleForReading
        // Replies are read on a thread of their own: the reads block, and the concurrency pool is small.
        let reader = Thread { [weak self] in
            var buffer = [UInt8]()
            while true {
                let data = output.availableData
                if data.isEmpty { break }
                buffer.append(contentsOf: data)
                while let end = buffer.firstIndex(of: 0) {
                    let message = Array(buffer[..<end])
                    buffer.removeSubrange(...end)
                    self?.received(message)
                }
            }
            self?.failAll(BrowserError("chromium exited"))
        }
        reader.start()
    }

    /// Sends a DevTools command and returns its `result` (throws on an `error` reply or after `timeout`).
    public func send(_ method: String, _ params: JSONObject = [:], session: String? = nil, timeout: Duration = .seconds(30)) async throws -> JSONValue
    {
        let id: Int = lock.withLock {
            nextID += 1; return nextID
        }
        var message: JSONObject = ["id": .number(JSONNumber(Int64(id))), "method": .string(method), "params": .object(params)]
        if let session { message["sessionId"] = .string(session) }
        let bytes = Data(JSONWriter.compact(.object(message)).utf8) + Data([0])
        return try await withThrowingTaskGroup(of: JSONValue.self) { group in
            group.addTask {
                // Cancelled (the timeout won), the wait ends at once: a reply that never comes
                // must not keep the group, and the test, waiting.
                try await withTaskCancellationHandler {
                    try await withCheckedThrowingContinuation { continuation in
                        let refusal: BrowserError? = self.lock.withLock {
                            if self.closed { return BrowserError("chromium has stopped") }
                            if Task.isCancelled { return BrowserError("\(method) was given up") }
                            self.waiting[id] = continuation
                            return nil
                        }
                        if let refusal { return continuation.resume(throwing: refusal) }
                        self.input.write(bytes)
                    }
                } onCancel: {
                    self.lock.withLock { self.waiting.removeValue(forKey: id) }?.resume(throwing: BrowserError("\(method) was given up"))
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw BrowserError("chromium did not answer \(method) within \(timeout)")
            }
            defer { group.cancelAll() }
            guard let result = try await group.next() else { throw BrowserError("no reply to \(method)") }
            return result
        }
    }

    /// Opens a new tab and attaches to it.
    public func newPage() async throws -> BrowserPage {
        let target = try await send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"]?.stringValue else { throw BrowserError("Target.createTarget returned no targetId") }
        let attached = try await send("Target.attachToTarget", ["targetId": .string(targetID), "flatten": true])
        guard let session = attached["sessionId"]?.stringValue else { throw BrowserError("Target.attachToTarget returned no sessionId") }
        let page = BrowserPage(browser: self, session: session)
        _ = try await page.send("Page.enable")
        _ = try await page.send("Runtime.enable")
        return page
    }

    /// Stops Chromium.
    public func stop() {
        if process.isRunning {
            _ = try? input.write(contentsOf: Data(#"{"id":999999,"method":"Browser.close"}"#.utf8) + Data([0]))
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { process.terminate() }
        }
        failAll(BrowserError("chromium has stopped"))
    }

    /// Chromium's own log (stderr), for failure messages.
    public var log: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    private func received(_ bytes: [UInt8]) {
        guard let message = try? JSONParser.parse(bytes, file: "devtools"), let id = message["id"]?.intValue else { return }
        let continuation = lock.withLock { waiting.removeValue(forKey: Int(id)) }
        if let error = message["error"], !error.isNull {
            continuation?.resume(throwing: BrowserError("devtools error: \(error["message"]?.stringValue ?? JSONWriter.compact(error))"))
        } else {
            continuation?.resume(returning: message["result"] ?? .null)
        }
    }

    private func failAll(_ error: BrowserError) {
        let pending: [CheckedContinuation<JSONValue, any Error>] = lock.withLock {
            closed = true
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        for continuation in pending { continuation.resume(throwing: error) }
    }
}

/// One tab of a `Chromium`.
public struct BrowserPage: Sendable {
    let browser: Chromium
    let session: String

    /// Sends a DevTools command to this tab.
    public func send(_ method: String, _ params: JSONObject = [:], timeout: Duration = .seconds(30)) async throws -> JSONValue {
        try await browser.send(method, params, session: session, timeout: timeout)
    }

    /// Sets the viewport (CSS pixels); `mobile` also emulates a phone's touch and meta viewport.
    public func setViewport(width: Int, height: Int, mobile: Bool = false) async throws {
        _ = try await send(
            "Emulation.setDeviceMetricsOverride",
            [
                "width": .number(JSONNumber(Int64(width))), "height": .number(JSONNumber(Int64(height))), "deviceScaleFactor": 1,
                "mobile": .bool(mobile),
            ])
    }

    /// Loads `url` and waits until the document has loaded.
    public func navigate(_ url: String, timeout: Duration = .seconds(30)) async throws {
        let reply = try await send("Page.navigate", ["url": .string(url)])
        if let error = reply["errorText"]?.stringValue, !error.isEmpty { throw BrowserError("navigating to \(url): \(error)") }
        try await waitFor("document.readyState === 'complete' && location.href !== 'about:blank'", timeout: timeout)
    }

    /// The value of a JavaScript expression (promises awaited); throws on an exception.
    @discardableResult
    public func evaluate(_ expression: String) async throws -> JSONValue {
        let reply = try await send("Runtime.evaluate", ["expression": .string(expression), "returnByValue": true, "awaitPromise": true])
        if let exception = reply["exceptionDetails"], !exception.isNull {
            let text = exception["exception"]?["description"]?.stringValue ?? exception["text"]?.stringValue ?? "exception"
            throw BrowserError("JavaScript `\(expression.prefix(80))` threw: \(text)")
        }
        return reply["result"]?["value"] ?? .null
    }

    /// Waits until `expression` is truthy; throws naming it after `timeout`.
    public func waitFor(_ expression: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            do {
                let value = try await evaluate("!!(\(expression))")
                if value.boolValue == true { return }
            } catch {
                last = " (last error: \(error))"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BrowserError("timed out after \(timeout) waiting for `\(expression)`\(last)")
    }

    /// A PNG of the whole page at the current viewport width, written to `path`.
    public func screenshot(to path: String) async throws {
        let reply = try await send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
        guard let base64 = reply["data"]?.stringValue, let data = Data(base64Encoded: base64) else {
            throw BrowserError("Page.captureScreenshot returned no image")
        }
        try data.write(to: URL(fileURLWithPath: path))
    }
}
