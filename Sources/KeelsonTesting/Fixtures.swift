import Foundation

/// Locates test fixtures and build products from a test file's path.
public enum Fixtures {
    /// The `Fixtures` directory beside the test file `filePath` (pass `#filePath`).
    public static func directory(_ filePath: String = #filePath) -> String {
        (filePath as NSString).deletingLastPathComponent + "/Fixtures"
    }

    /// The package root: the nearest parent of `filePath` holding `Package.swift`.
    public static func packageRoot(_ filePath: String = #filePath) -> String {
        var directory = (filePath as NSString).deletingLastPathComponent
        while directory != "/" {
            if FileManager.default.fileExists(atPath: directory + "/Package.swift") { return directory }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return FileManager.default.currentDirectoryPath
    }

    /// The built `keelson` executable beside the running test bundle.
    public static func keelsonExecutable(_ filePath: String = #filePath) -> String {
        var candidates: [String] = []
        if let testBinary = CommandLine.arguments.first {
            var directory = (testBinary as NSString).deletingLastPathComponent
            // On Linux the test binary is inside `keelsonPackageTests.xctest`; on macOS deeper.
            for _ in 0..<4 {
                candidates.append(directory + "/keelson")
                directory = (directory as NSString).deletingLastPathComponent
            }
        }
        candidates.append(packageRoot(filePath) + "/.build/debug/keelson")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    /// Relative names of the files in `directory`, sorted.
    public static func files(in directory: String, withExtension ext: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix("." + ext) }.sorted()
    }
}
