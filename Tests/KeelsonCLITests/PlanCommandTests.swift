import Foundation
import KeelsonTesting
import KubeSandbox
import Logging
import SCM
import Testing

/// `keelson plan` as CI runs it on a pull request: a real Git repository with three
/// Applications (`web`, `db`, `cache`), `main` as the base and `feature` as the head.
@Suite struct PlanCommandTests {
    let keelson = Fixtures.keelsonExecutable()

    static func application(_ name: String, prune: Bool = true, repoURL: String = "https://git.example.com/shop/deploy.git") -> String {
        """
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: \(name), namespace: keelson}
        spec:
          source: {repoURL: "\(repoURL)", revision: main, path: apps/\(name)}
          destination: {namespace: \(name)}
          syncPolicy: {automated: {prune: \(prune)}}

        """
    }

    static func deployment(_ name: String, image: String = "1.0.0", selector: String? = nil) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: \(name)}
        spec:
          replicas: 2
          selector: {matchLabels: {app: \(selector ?? name)}}
          template:
            metadata: {labels: {app: \(selector ?? name)}}
            spec:
              containers:
              - name: \(name)
                image: ghcr.io/shop/\(name):\(image)

        """
    }

    /// The repository at `main`, checked out on a new `feature` branch.
    static func repository(in folder: TemporaryDirectory, prune: Bool = true) async throws -> GitWorkTree {
        let work = try await GitWorkTree.create(at: folder.path + "/work")
        var files: [String: String?] = [:]
        for name in ["web", "db", "cache"] {
            files["clusters/prod/\(name).yaml"] = application(name, prune: prune)
            files["apps/\(name)/deploy.yaml"] = deployment(name)
        }
        files["apps/db/secret.yaml"] = "apiVersion: v1\nkind: Secret\nmetadata: {name: db-pass}\nstringData: {password: hunter2}\n"
        files["apps/db/pvc.yaml"] =
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n"
        try await work.commit("base", files)
        try await work.checkout("feature", create: true)
        return work
    }

    func plan(_ work: GitWorkTree, _ arguments: [String] = []) async throws -> ProcessResult {
        try await ProcessRunner.run(keelson, ["plan", "--repo", work.path, "--base", "main", "--head", "feature"] + arguments)
    }

    @Test func baseAgainstHeadIsDeterministic() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        try await work.commit("bump web", ["apps/web/deploy.yaml": Self.deployment("web", image: "1.0.1")])
        let first = try await plan(work, ["-o", "markdown"])
        let second = try await plan(work, ["-o", "markdown"])
        #expect(first.status == 0, "\(first.errorOutput)")
        #expect(first.stdout == second.stdout)
        let body = first.output
        #expect(body.hasPrefix("### Keelson plan: 1 of 3 applications changes"))
        #expect(body.components(separatedBy: "\n-        image: ghcr.io/shop/web:1.0.0\n").count == 2)
        #expect(body.components(separatedBy: "\n+        image: ghcr.io/shop/web:1.0.1\n").count == 2)
        #expect(body.contains("| keelson/web | 0 | 1 | 0 | image ghcr.io/shop/web 1.0.0 → 1.0.1 |"))
        #expect(body.contains("2 applications unchanged"))
        #expect(!body.contains("keelson/db ·") && !body.contains("keelson/cache ·"))
    }

    @Test func jsonFollowsTheSchema() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        try await work.commit("bump web", ["apps/web/deploy.yaml": Self.deployment("web", image: "1.0.1")])
        let result = try await plan(work, ["-o", "json"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let check = """
            import json, jsonschema, sys
            plan = json.load(sys.stdin)
            jsonschema.validate(plan, json.load(open(sys.argv[1])))
            web = [a for a in plan["applications"] if a["name"] == "web"][0]
            print(plan["summary"]["changed"], web["change"], web["objects"][0]["change"], web["objects"][0]["key"])
            """
        let validated = try await ProcessRunner.run(
            "python3", ["-c", check, Fixtures.packageRoot() + "/docs/plan.schema.json"], input: result.stdout)
        #expect(validated.status == 0, "\(validated.errorOutput)")
        #expect(validated.output == "1 changed changed Deployment/web/web\n")
    }

    @Test func secretValuesAreMaskedAndSOPSFilesStaySealed() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        // An age identity and a SOPS-encrypted Secret on main.
        let keygen = try await ProcessRunner.run(keelson, ["secret", "keygen", "-o", folder.path + "/age.key"])
        let recipient = try #require(keygen.errorOutput.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines)
        // Encrypt values only, as Flux's guide has it: the object's identity stays readable.
        try folder.write("plain/.sops.yaml", "creation_rules:\n- encrypted_regex: ^(data|stringData)$\n  age: \(recipient)\n")
        func sealed(_ value: String) async throws -> String {
            let file = try folder.write(
                "plain/token-\(value).yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: api-token}\nstringData: {token: \(value)}\n")
            let encrypted = try await ProcessRunner.run(keelson, ["secret", "encrypt", file])
            #expect(encrypted.status == 0, "\(encrypted.errorOutput)")
            return encrypted.output
        }
        try await work.git(["checkout", "-q", "main"])
        try await work.commit("token", ["apps/db/token.yaml": try await sealed("hunter2-token")])
        try await work.git(["branch", "-q", "-f", "feature", "main"])
        try await work.checkout("feature")
        try await work.commit(
            "rotate",
            [
                "apps/db/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: db-pass}\nstringData: {password: hunter3}\n",
                "apps/db/token.yaml": try await sealed("hunter3-token"),
            ])
        let output = folder.path + "/out"
        for format in ["text", "markdown", "json"] {
            let result = try await plan(work, ["-o", format, "--output-dir", output])
            #expect(result.status == 0, "\(result.errorOutput)")
            let everything = result.output + result.errorOutput
            for needle in ["hunter", "aHVudGVy", "ENC[AES256"] { #expect(!everything.contains(needle), "\(format) shows \(needle)") }
            #expect(everything.contains("Secret db/db-pass changed (values masked)"))
            #expect(everything.contains("Secret db/api-token changed (encrypted, values masked)"))
        }
        for needle in ["hunter", "aHVudGVy", "ENC[AES256"] { #expect(folder.scan(for: needle).containing.allSatisfy { !$0.hasPrefix(output) }) }
        // With the identity the file is decrypted, and its values are still masked.
        let decrypted = try await plan(work, ["-o", "markdown", "--decrypt-identity", folder.path + "/age.key"])
        #expect(decrypted.status == 0, "\(decrypted.errorOutput)")
        #expect(!decrypted.output.contains("hunter") && !decrypted.output.contains("encrypted, values masked"))
        #expect(decrypted.output.contains("Secret db/api-token changed (values masked)"))
    }

    @Test func aBrokenHeadFailsWithFileAndLineAndTheOthersArePlanned() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        let broken = Self.deployment("db").replacing("        image: ghcr.io/shop/db:1.0.0\n", with: "        image: a:1\n        image: b:2\n")
        try await work.commit(
            "break db, bump web", ["apps/db/deploy.yaml": broken, "apps/web/deploy.yaml": Self.deployment("web", image: "1.0.1")])
        let result = try await plan(work, ["-o", "markdown"])
        #expect(result.status == 1)
        #expect(result.output.contains("keelson/db · render failed: apps/db/deploy.yaml:12:9: mapping key \"image\" already defined"))
        #expect(result.output.contains("| keelson/web | 0 | 1 | 0 |"))
    }

    @Test func anApplicationFileThatNoLongerReadsIsAnErrorNotARemoval() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        let broken = Self.application("cache").replacing("metadata: {name: cache, namespace: keelson}", with: "metadata: {name: cache, name: x}")
        try await work.commit("break the cache Application", ["clusters/prod/cache.yaml": broken])
        let result = try await plan(work)
        #expect(result.status == 1)
        #expect(result.output.contains("✗ keelson/cache: render failed: clusters/prod/cache.yaml:"), "\(result.output)")
        #expect(!result.output.contains("pruned"))
    }

    @Test func addedAndRemovedApplicationsAppearWhole() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        try await work.commit(
            "queue in, cache out",
            [
                "clusters/prod/queue.yaml": Self.application("queue"), "apps/queue/deploy.yaml": Self.deployment("queue"),
                "clusters/prod/cache.yaml": nil,
            ])
        let result = try await plan(work)
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(result.output.contains("keelson/queue: added +1 ~0 −0\n  ► Deployment/queue/queue added\n"))
        #expect(result.output.contains("keelson/cache: removed +0 ~0 −1\n  ► Deployment/cache/cache pruned\n"))
        // Without pruning, what leaves Git stays in the cluster.
        let other = try TemporaryDirectory()
        defer { other.remove() }
        let unpruned = try await Self.repository(in: other, prune: false)
        try await unpruned.commit("cache out", ["clusters/prod/cache.yaml": nil, "apps/db/pvc.yaml": nil])
        let orphaned = try await plan(unpruned)
        #expect(orphaned.output.contains("keelson/cache: removed +0 ~0 −1\n  ► Deployment/cache/cache orphaned\n"))
        // An orphaned claim keeps its data: no warning.
        #expect(orphaned.output.contains("  ► PersistentVolumeClaim/db/data orphaned\n") && !orphaned.output.contains("data loss"))
    }

    @Test func dangerousChangesAreWarned() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        try await work.commit(
            "danger", ["apps/db/pvc.yaml": nil, "apps/web/deploy.yaml": Self.deployment("web", image: "1.0.0", selector: "web-v2")])
        let result = try await plan(work, ["-o", "markdown"])
        // The selector change would be refused by the API server: the plan fails.
        #expect(result.status == 1)
        #expect(result.output.contains("⚠ data loss: deletes PersistentVolumeClaim db/data"))
        #expect(result.output.contains("⚠ sync will fail: immutable field spec.selector of Deployment web/web (Force=true re-creates it)"))
    }

    // C10's rollout line: an image bump of a Deployment under a Rollout says how it will reach
    // users, after the warnings of the same plan.
    @Test func aDeploymentUnderARolloutSaysHowItRollsOut() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        let rollout = """
            apiVersion: keelson.dev/v1alpha1
            kind: Rollout
            metadata: {name: web}
            spec:
              targetRef: {kind: Deployment, name: web}
              strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}, {setWeight: 60}, {pause: {duration: 3s}}]}}

            """
        try await work.commit("rollout", ["apps/web/rollout.yaml": rollout])
        try await work.commit("bump", ["apps/web/deploy.yaml": Self.deployment("web", image: "1.0.1"), "apps/db/pvc.yaml": nil])
        let result = try await plan(work, ["--base", "feature~1", "-o", "markdown"])
        let output = result.output
        #expect(output.contains("progressive: canary 20% → 60% → promote"), "\(output)")
        let warning = try #require(output.range(of: "⚠ data loss"))
        let line = try #require(output.range(of: "progressive: canary"))
        #expect(warning.lowerBound < line.lowerBound)
        // Only the Deployment under the Rollout gets the line.
        #expect(output.components(separatedBy: "progressive:").count == 2)
    }

    @Test func exitCodesSayWhetherAnythingChanges() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        #expect(try await plan(work, ["--detailed-exitcode"]).status == 0)
        try await work.commit("bump web", ["apps/web/deploy.yaml": Self.deployment("web", image: "1.0.1")])
        #expect(try await plan(work, ["--detailed-exitcode"]).status == 3)
        #expect(try await plan(work).status == 0)
        let missing = try await ProcessRunner.run(keelson, ["plan", "--repo", work.path, "--base", "no-such-branch"])
        #expect(missing.status == 2)
        #expect(missing.errorOutput.contains("no-such-branch names no commit"))
    }

    @Test func aFirstPullRequestAgainstAnEmptyCommitAddsEverything() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await GitWorkTree.create(at: folder.path + "/work")
        try await work.commit("empty", [:])
        try await work.checkout("feature", create: true)
        try await work.commit("apps", ["clusters/prod/web.yaml": Self.application("web"), "apps/web/deploy.yaml": Self.deployment("web")])
        // From a subdirectory of the work tree, with an --apps directory only the head has.
        let result = try await ProcessRunner.run(
            keelson, ["plan", "--repo", work.path + "/apps", "--base", "main", "--head", "feature", "--apps", "clusters/prod"])
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(result.output.contains("keelson/web: added +1 ~0 −0\n  ► Deployment/web/web added\n"), "\(result.output)")
        let nowhere = try await plan(work, ["--apps", "no/such/dir"])
        #expect(nowhere.status == 2 && nowhere.errorOutput.contains("--apps no/such/dir: no such directory at either revision"))
    }

    @Test func aRepositoryGivenByURLIsPlannedFromAPrivateCache() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        try await work.commit("bump web", ["apps/web/deploy.yaml": Self.deployment("web", image: "1.0.1")])
        let url = "file://" + work.path
        let result = try await ProcessRunner.run(
            keelson,
            ["plan", "--repo", url, "--base", "main", "--head", "feature", "--repo-url", "https://git.example.com/shop/deploy.git"])
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(result.output.contains("keelson/web: +0 ~1 −0\n  ► Deployment/web/web changed\n"), "\(result.output)")
        // Without --repo-url the URL itself names the repository: the Applications deploy from another.
        let elsewhere = try await ProcessRunner.run(keelson, ["plan", "--repo", url, "--base", "main", "--head", "feature"])
        #expect(elsewhere.output.contains("3 applications from other repositories not planned: keelson/cache, keelson/db, keelson/web"))
        let head = try await ProcessRunner.run(keelson, ["plan", "--repo", url, "--base", "main"])
        #expect(head.status == 2 && head.errorOutput.contains("for a Git URL give a branch, tag or commit"))
    }

    @Test func applicationsOfOtherRepositoriesAreLeftOut() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        try await work.commit(
            "elsewhere", ["clusters/prod/other.yaml": Self.application("other", repoURL: "https://git.example.com/other/repo")])
        let result = try await plan(work, ["-o", "json", "--repo-url", "git@git.example.com:shop/deploy.git", "--output-dir", folder.path + "/out"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let check = "import json, sys; p = json.load(sys.stdin); print(p['notAffected'], [a['name'] for a in p['applications']])"
        let parsed = try await ProcessRunner.run("python3", ["-c", check], input: result.stdout)
        #expect(parsed.output == "['keelson/other'] ['cache', 'db', 'web']\n")
        for file in ["plan.md", "plan.json", "head/keelson_web.yaml", "base/keelson_db.yaml"] {
            #expect(FileManager.default.fileExists(atPath: folder.path + "/out/" + file), "\(file)")
        }
    }

    @Test func liveSectionSeparatesDriftFromTheChangeAndDryRunsEachObject() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        let kubeconfig = folder.path + "/kubeconfig"
        var quiet = Logger(label: "sandbox")
        quiet.logLevel = .critical
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig), logger: quiet) { _ in
            let kubectl = ["--kubeconfig", kubeconfig]
            for namespace in ["web", "db", "cache"] { try await ProcessRunner.run("kubectl", kubectl + ["create", "namespace", namespace]) }
            let synced = try await ProcessRunner.run(
                keelson, ["sync", work.path + "/apps/web", "--app", "keelson/web", "-n", "web", "--kubeconfig", kubeconfig])
            #expect(synced.status == 0, "\(synced.errorOutput)")
            let scaled = try await ProcessRunner.run("kubectl", kubectl + ["-n", "web", "scale", "deploy", "web", "--replicas", "7"])
            #expect(scaled.status == 0, "\(scaled.errorOutput)")
            try await work.commit("bump web", ["apps/web/deploy.yaml": Self.deployment("web", image: "1.0.1")])

            let result = try await plan(work, ["-o", "json", "--live", "--kubeconfig", kubeconfig])
            #expect(result.status == 0, "\(result.errorOutput)")
            let check = """
                import json, jsonschema, sys
                plan = json.load(sys.stdin)
                jsonschema.validate(plan, json.load(open(sys.argv[1])))
                web = [a for a in plan["live"]["applications"] if a["name"] == "web"][0]
                for o in web["objects"]: print(o["key"], o["action"], o["fromChange"], o["drift"], o["driftManagers"], o["willFail"])
                print(plan["summary"]["changed"])
                """
            let parsed = try await ProcessRunner.run(
                "python3", ["-c", check, Fixtures.packageRoot() + "/docs/plan.schema.json"], input: result.stdout)
            #expect(
                parsed.output == "Deployment/web/web update True ['spec.replicas'] ['kubectl'] None\n1\n", "\(parsed.output)\(parsed.errorOutput)")
            let markdown = try await plan(work, ["-o", "markdown", "--live", "--kubeconfig", kubeconfig])
            #expect(
                markdown.output.contains("| keelson/web | Deployment web/web | will change · drift (not from this PR): spec.replicas by kubectl |"))

            // A change the API server refuses is confirmed by the dry run, and fails the plan.
            try await work.commit("move selector", ["apps/web/deploy.yaml": Self.deployment("web", image: "1.0.1", selector: "web-v2")])
            let refused = try await plan(work, ["-o", "markdown", "--live", "--kubeconfig", kubeconfig])
            #expect(refused.status == 1)
            #expect(refused.output.contains("⚠ sync will fail: immutable field spec.selector of Deployment web/web"))
            #expect(
                refused.output.contains(
                    #"will fail: Deployment.apps "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"web-v2"}}: field is immutable"#
                ), "\(refused.output)")
            // Nothing was written by the dry runs.
            let image = try await ProcessRunner.run(
                "kubectl", kubectl + ["-n", "web", "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
            #expect(image.output == "ghcr.io/shop/web:1.0.0")
        }
    }

    static let token = "ghp_TESTTOKEN123"

    func post(_ work: GitWorkTree, _ forge: Forge, _ fake: FakeSCM, project: String, pr: Int, _ more: [String] = []) async throws -> ProcessResult {
        try await ProcessRunner.run(
            keelson,
            ["plan", "--repo", work.path, "--base", "main", "--head", "feature", "--post", forge.rawValue, "--api-url", fake.apiURL(forge)]
                + ["--project", project, "--pr", String(pr)] + more,
            environment: ProcessInfo.processInfo.environment.merging(["KEELSON_SCM_TOKEN": Self.token]) { _, new in new })
    }

    @Test(arguments: [(Forge.github, "o/r", 7, "success"), (.gitlab, "42", 3, "success"), (.gitea, "o/r", 5, "success")])
    func postsOneCommentEditedInPlaceAndAStatus(forge: Forge, project: String, pr: Int, state: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        let first = try await work.commit("bump web", ["apps/web/deploy.yaml": Self.deployment("web", image: "1.0.1")])
        try await FakeSCM.withRunning(token: Self.token) { fake in
            let posted = try await post(work, forge, fake, project: project, pr: pr)
            #expect(posted.status == 0, "\(posted.errorOutput)")
            let second = try await work.commit("bump web again", ["apps/web/deploy.yaml": Self.deployment("web", image: "1.0.2")])
            let again = try await post(work, forge, fake, project: project, pr: pr)
            #expect(again.status == 0, "\(again.errorOutput)")

            let comments = fake.comments(forge: forge, project: project, pr: pr)
            #expect(comments.count == 1)
            #expect(comments.first?.edits == 1)
            #expect(comments.first?.body.contains("ghcr.io/shop/web 1.0.0 → 1.0.2") == true)
            #expect(comments.first?.body.hasSuffix("<!-- keelson-plan:default -->") == true)
            let writes = await fake.requests(forge: forge).filter { $0.method != "GET" && $0.path.contains("notes") || $0.path.contains("comments") }
            #expect(writes.filter { $0.method != "GET" }.map(\.method) == ["POST", forge == .gitlab ? "PUT" : "PATCH"])
            for sha in [first, second] {
                let statuses = fake.statuses(forge: forge, project: project, sha: sha)
                #expect(statuses.map(\.state) == [state] && statuses.first?.context == "keelson/plan", "\(statuses)")
                #expect(statuses.first?.description == "1 app changes: ~1")
            }
            // The token is never printed.
            #expect(!(posted.output + posted.errorOutput + again.output + again.errorOutput).contains(Self.token))
        }
    }

    @Test func aBrokenHeadPostsAFailureAndPlansOnTheirOwnIDs() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        let broken = Self.deployment("db").replacing("        image: ghcr.io/shop/db:1.0.0\n", with: "        image: a:1\n        image: b:2\n")
        let head = try await work.commit("break db", ["apps/db/deploy.yaml": broken])
        try await FakeSCM.withRunning(token: Self.token) { fake in
            let posted = try await post(work, .github, fake, project: "o/r", pr: 9, ["--plan-id", "prod-eu"])
            #expect(posted.status == 1)
            let status = try #require(fake.statuses(forge: .github, project: "o/r", sha: head).first)
            #expect(status.state == "failure" && status.context == "keelson/plan/prod-eu")
            #expect(status.description.hasPrefix("keelson/db does not render: apps/db/deploy.yaml:12:9"))
            #expect(fake.comments(forge: .github, project: "o/r", pr: 9).first?.body.hasSuffix("<!-- keelson-plan:prod-eu -->") == true)
        }
    }

    @Test func aLargePlanIsCutToFitTheCommentAndKeptWholeInTheOutputDirectory() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let work = try await Self.repository(in: folder)
        let maps = (0..<2000).map { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings-\($0)}\ndata: {color: blue, size: \"\($0)\"}\n" }
        try await work.git(["checkout", "-q", "main"])
        try await work.commit("settings", ["apps/web/settings.yaml": maps.joined(separator: "---\n")])
        try await work.git(["branch", "-q", "-f", "feature", "main"])
        try await work.checkout("feature")
        try await work.commit(
            "recolour", ["apps/web/settings.yaml": maps.map { $0.replacing("color: blue", with: "color: green") }.joined(separator: "---\n")])
        try await FakeSCM.withRunning(token: Self.token) { fake in
            let posted = try await post(work, .github, fake, project: "o/r", pr: 7, ["--output-dir", folder.path + "/out"])
            #expect(posted.status == 0, "\(posted.errorOutput)")
            let body = try #require(fake.comments(forge: .github, project: "o/r", pr: 7).first?.body)
            #expect(body.count <= 60_000)
            let text = body.replacing("\n<!-- keelson-plan:default -->", with: "")
            #expect(text.range(of: #"… \d+ more lines in plan\.md\n$"#, options: .regularExpression) != nil, "\(text.suffix(200))")
            #expect(text.hasPrefix("### Keelson plan: 1 of 3 applications changes"))
            let full = try String(contentsOfFile: folder.path + "/out/plan.md", encoding: .utf8)
            #expect(full.components(separatedBy: "+  color: green").count == 2001)
            let head = try String(contentsOfFile: folder.path + "/out/head/keelson_web.yaml", encoding: .utf8)
            #expect(head.components(separatedBy: "color: green").count == 2001)
            #expect(
                fake.statuses(forge: .github, project: "o/r", sha: try await work.git(["rev-parse", "HEAD"])).first?.description
                    == "1 app changes: ~2000")
        }
    }
}
