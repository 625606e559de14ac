import Foundation
import KeelsonTesting

/// Small wrappers over tools the registry tests use.
enum ProcessRunnerShim {
    /// A bcrypt htpasswd line made with `htpasswd -Bbn`, or with Python's bcrypt when it is missing.
    static func htpasswd(user: String, password: String) throws -> String {
        if ProcessRunner.isAvailable("htpasswd") {
            let result = try ProcessRunner.run("htpasswd", ["-Bbn", user, password])
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let script = "import bcrypt,sys; print(sys.argv[1] + ':' + bcrypt.hashpw(sys.argv[2].encode(), bcrypt.gensalt()).decode())"
        return try ProcessRunner.run("python3", ["-c", script, user, password]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
