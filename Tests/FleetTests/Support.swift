import Foundation
import Manifests

/// Reads a fixture of `Tests/MigrationTests/Fixtures`.
enum MigrationFixtures {
    static func manifests(_ name: String, filePath: String = #filePath) throws -> [Manifest] {
        let folder = (filePath as NSString).deletingLastPathComponent + "/Fixtures/"
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + name))
        return try Manifest.decode(Array(data), file: name)
    }
}
