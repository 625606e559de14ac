import Foundation
import KeelsonTesting
import Testing

@testable import KeelsonFoundation

/// Every way a read could leave the render root is refused, with the path named relative to
/// the root and nothing from outside it in the message.
@Suite struct SecureRootTests {
    /// A tree with a root `repo`, a sibling `repo-secrets` sharing its name as a prefix, and a
    /// secret file outside the root.
    struct Tree: Sendable {
        let base: TemporaryDirectory
        var root: String { base.path + "/repo" }

        init() throws {
            base = try TemporaryDirectory()
            try base.write("outside-secret.txt", "TOP-SECRET-OUTSIDE")
            try base.write("repo-secrets/key.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen}\n")
            try base.write("repo/app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n")
        }

        func link(_ name: String, _ target: String) throws { try base.symlink("repo/" + name, to: target) }
        func open(_ limits: SecureRoot.Limits = .init()) throws -> SecureRoot { try SecureRoot(directory: root, limits: limits) }
    }

    static let refusals: [(String, @Sendable (Tree) throws -> String, SecureRootError.Code)] = [
        // An absolute path is never resolved against the host.
        ("absolute path", { t in t.base.path + "/outside-secret.txt" }, .absolutePath),
        // `..` may not climb above the root.
        ("parent escape", { _ in "../outside-secret.txt" }, .escapesRoot),
        ("deep parent escape", { _ in "app/../../outside-secret.txt" }, .escapesRoot),
        // A symlink with an absolute target is refused even before looking where it points.
        (
            "absolute symlink",
            { t in
                try t.link("abs.yaml", t.base.path + "/outside-secret.txt"); return "abs.yaml"
            }, .absoluteSymlink
        ),
        // A relative symlink climbing out of the root.
        (
            "relative symlink escape",
            { t in
                try t.link("rel.yaml", "../outside-secret.txt"); return "rel.yaml"
            }, .escapesRoot
        ),
        // A directory symlink out of the root, used as a path prefix.
        (
            "symlinked directory escape",
            { t in
                try t.link("up", ".."); return "up/outside-secret.txt"
            }, .escapesRoot
        ),
        // `repo-secrets` starts with the root's name; components are compared, not prefixes.
        (
            "sibling sharing the root's prefix",
            { t in
                try t.link("sib", "../repo-secrets/key.yaml"); return "sib"
            }, .escapesRoot
        ),
        ("sibling by path", { _ in "../repo-secrets/key.yaml" }, .escapesRoot),
        // A chain of 20 symlinks, each inside the root, exceeds the hop limit.
        (
            "20-hop chain",
            { t in
                try t.base.write("repo/chain/target.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
                try t.link("chain/l0", "target.yaml")
                for i in 1..<20 { try t.link("chain/l\(i)", "l\(i - 1)") }
                return "chain/l19"
            }, .tooManySymlinks
        ),
        // Two symlinks pointing at each other.
        (
            "symlink loop",
            { t in
                try t.link("loop-a", "loop-b"); try t.link("loop-b", "loop-a"); return "loop-a"
            }, .symlinkLoop
        ),
        // A symlink pointing at itself.
        (
            "self loop",
            { t in
                try t.link("self", "self"); return "self"
            }, .symlinkLoop
        ),
    ]

    @Test(arguments: refusals.map { ($0.0, $0.2) })
    func refuses(_ name: String, _ code: SecureRootError.Code) throws {
        let tree = try Tree()
        defer { tree.base.remove() }
        let entry = try #require(Self.refusals.first { $0.0 == name })
        let path = try entry.1(tree)
        let root = try tree.open()
        do {
            let bytes = try root.read(path)
            Issue.record("\(name): read \(bytes.count) bytes instead of refusing")
        } catch {
            #expect(error.code == code, "\(name): \(error)")
            #expect(error.path == path)
            // Errors never show content or host paths outside the root.
            #expect(!error.description.contains("TOP-SECRET"))
            if code != .absolutePath { #expect(!error.description.contains(tree.base.path)) }
        }
    }

    @Test func parentReferenceRefusedInStrictMode() throws {
        let tree = try Tree()
        defer { tree.base.remove() }
        #expect(throws: SecureRootError(.parentReference, path: "app/../app/cm.yaml", "'..' is not allowed here")) {
            try tree.open().read("app/../app/cm.yaml", allowParent: false)
        }
    }

    @Test func dotDotInsideTheRootIsAllowedWhenPermitted() throws {
        let tree = try Tree()
        defer { tree.base.remove() }
        #expect(try tree.open().read("app/../app/cm.yaml").count > 0)
    }

    @Test(arguments: ["..", "../x/*.yaml", "a/../../b", "/etc/*.yaml"])
    func includePatternsCannotLeave(_ pattern: String) {
        #expect(throws: SecureRootError.self) { try Glob(pattern) }
    }

    @Test func symlinksInsideTheRootAreFollowed() throws {
        let tree = try Tree()
        defer { tree.base.remove() }
        try tree.link("short-chain", "app/cm.yaml")
        try tree.link("via-dir", "app")
        try tree.link("chain2", "short-chain")
        let root = try tree.open()
        let direct = try root.read("app/cm.yaml")
        #expect(try root.read("short-chain") == direct)
        #expect(try root.read("chain2") == direct)
        #expect(try root.read("via-dir/cm.yaml") == direct)
        #expect(try root.resolve("chain2") == ["app", "cm.yaml"])
    }

    @Test func fileOverTheSizeLimitIsRefused() throws {
        let tree = try Tree()
        defer { tree.base.remove() }
        try tree.base.write("repo/big.yaml", String(repeating: "#", count: 2048))
        let root = try tree.open(.init(maximumFileBytes: 1024, maximumTotalBytes: 1 << 20))
        #expect(throws: SecureRootError(.fileTooLarge, path: "big.yaml", "file is larger than the limit of 1024 bytes")) {
            try root.read("big.yaml")
        }
        #expect(try root.read("app/cm.yaml").count < 1024)
    }

    @Test func totalReadLimitSpansFiles() throws {
        let tree = try Tree()
        defer { tree.base.remove() }
        for i in 0..<3 { try tree.base.write("repo/f\(i).yaml", String(repeating: "#", count: 600)) }
        let root = try tree.open(.init(maximumFileBytes: 1024, maximumTotalBytes: 1500))
        _ = try root.read("f0.yaml")
        _ = try root.read("f1.yaml")
        #expect(throws: SecureRootError.self) { try root.read("f2.yaml") }
        #expect(root.totalBytesRead == 1800)
    }

    @Test func missingFilesAndDirectoriesAreNamed() throws {
        let tree = try Tree()
        defer { tree.base.remove() }
        #expect(throws: SecureRootError(.notFound, path: "nope.yaml", "no such file or directory")) {
            try tree.open().read("nope.yaml")
        }
        #expect(throws: SecureRootError.self) { try tree.open().read("app") }
    }

    @Test func listingTheRootTwiceGivesTheSameEntries() throws {
        let tree = try Tree()
        defer { tree.base.remove() }
        let root = try tree.open()
        let first = try root.list(".")
        #expect(!first.isEmpty)
        #expect(try root.list(".") == first)
    }
}
