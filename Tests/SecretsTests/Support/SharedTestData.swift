import Foundation

/// A malformed or missing piece of test data.
struct TestDataError: Error, CustomStringConvertible {
    var description: String
}

/// Finds the `shared/testdata` folder that sits beside the repository checkout.
///
/// `KEELSON_SHARED` (the `shared` folder itself) wins when set; otherwise every ancestor of this
/// source file is tried for a `shared/testdata` child, which covers `/work/main` beside `/work/shared`
/// and CI checkouts with `shared/` next to the clone.
enum SharedTestData {
    struct Missing: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "shared test data not found; set KEELSON_SHARED to the shared folder. Looked in: "
                + searched.joined(separator: ", ")
        }
    }

    static func directory(_ name: String, filePath: String = #filePath) throws -> URL {
        var candidates: [URL] = []
        if let shared = ProcessInfo.processInfo.environment["KEELSON_SHARED"], !shared.isEmpty {
            candidates.append(URL(fileURLWithPath: shared).appendingPathComponent("testdata"))
        } else {
            var folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            while folder.path != "/" {
                folder = folder.deletingLastPathComponent()
                candidates.append(folder.appendingPathComponent("shared/testdata"))
            }
        }
        for candidate in candidates {
            let target = candidate.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return target
            }
        }
        throw Missing(searched: candidates.map { $0.appendingPathComponent(name).path })
    }
}
