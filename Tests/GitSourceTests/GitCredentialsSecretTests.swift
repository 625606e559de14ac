import GitSource
import Testing

/// Git credentials from a Secret's values, by Flux's key names.
@Suite struct GitCredentialsSecretTests {
    @Test func keysChooseTheKind() throws {
        // An ssh key wins, and keeps its bytes (trailing newline included).
        #expect(
            try GitCredentials.fromSecret(["identity": "KEY\n", "known_hosts": "host ssh-ed25519 AAA", "token": "t"], secret: "ns/s")
                == .ssh(privateKey: "KEY\n", knownHosts: "host ssh-ed25519 AAA", strictHostKeyChecking: true))
        // A token, with the default or a given user name; surrounding blanks are dropped.
        #expect(try GitCredentials.fromSecret(["token": " tok\n"], secret: "ns/s") == .token("tok", username: "x-access-token"))
        #expect(try GitCredentials.fromSecret(["token": "tok", "username": "bot"], secret: "ns/s") == .token("tok", username: "bot"))
        // Basic auth.
        #expect(try GitCredentials.fromSecret(["username": "me", "password": "pw"], secret: "ns/s") == .basic(username: "me", password: "pw"))
    }

    /// A Secret with nothing usable is an error naming the Secret and no value.
    @Test func nothingUsableIsAnError() {
        let error = #expect(throws: GitError.self) {
            try GitCredentials.fromSecret(["username": "CANARY-user", "password": "  ", "token": ""], secret: "team/git-auth")
        }
        #expect("\(String(describing: error))".contains("team/git-auth"))
        #expect(!"\(String(describing: error))".contains("CANARY-user"))
    }
}
