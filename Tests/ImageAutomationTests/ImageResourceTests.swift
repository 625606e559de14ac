import Foundation
import ImageAutomation
import KeelsonTesting
import Manifests
import Testing

@Suite struct ImagePolicyParsingTests {
    static func manifest(_ yaml: String) throws -> Manifest {
        try #require(try Manifest.decode(Array(yaml.utf8), file: "policy.yaml").first)
    }

    /// Keelson's shortcut: spec.image names the repository on the policy itself.
    @Test func keelsonPolicyWithInlineImage() throws {
        let policy = try ImagePolicy(
            Self.manifest(
                """
                apiVersion: keelson.dev/v1alpha1
                kind: ImagePolicy
                metadata: {name: app, namespace: team}
                spec:
                  image: ghcr.io/org/app
                  interval: 2m
                  secretRef: {name: regcred}
                  policy: {semver: {range: ">=1.0.0 <2.0.0"}}
                  filterTags: {pattern: '^v(?P<v>.*)$', extract: '$v'}
                  digestReflectionPolicy: IfNotPresent
                """))
        #expect(policy.id == "team:app")
        #expect(policy.repository == .inline(ImageRepositorySpec(image: "ghcr.io/org/app", interval: .seconds(120), secretRef: "regcred")))
        #expect(policy.choice == .semver(">=1.0.0 <2.0.0"))
        #expect(policy.digestReflection == .ifNotPresent)
        #expect(try policy.tagPolicy().select(["v1.0.0", "v1.5.0", "v2.0.0", "latest"]) == "v1.5.0")
    }

    /// Flux's pair: an ImagePolicy naming an ImageRepository, both under image.toolkit.fluxcd.io.
    @Test func fluxPairIsAccepted() throws {
        let policy = try ImagePolicy(
            Self.manifest(
                """
                apiVersion: image.toolkit.fluxcd.io/v1beta2
                kind: ImagePolicy
                metadata: {name: podinfo, namespace: flux-system}
                spec:
                  imageRepositoryRef: {name: podinfo}
                  policy: {numerical: {order: desc}}
                """))
        #expect(policy.repository == .reference(name: "podinfo", namespace: "flux-system"))
        let repository = try ImageRepositorySpec.flux(
            Self.manifest(
                """
                apiVersion: image.toolkit.fluxcd.io/v1beta2
                kind: ImageRepository
                metadata: {name: podinfo, namespace: flux-system}
                spec: {image: ghcr.io/stefanprodan/podinfo, interval: 1m0s, provider: generic, exclusionList: ['^.*-rc$']}
                """))
        #expect(repository.spec.image == "ghcr.io/stefanprodan/podinfo")
        #expect(repository.spec.interval == .seconds(60))
        #expect(repository.spec.excluding(["1.0", "2.0-rc", "a.sig"]) == ["1.0", "a.sig"])
    }

    @Test(arguments: [
        // Unknown fields are refused with their path, not ignored.
        ("spec: {image: a/b, policy: {semver: {range: '1.x'}}, colour: red}", "spec.colour"),
        ("spec: {image: a/b, policy: {semver: {range: '1.x', max: 2}}}", "spec.policy.semver.max"),
        // Exactly one ordering rule.
        ("spec: {image: a/b, policy: {semver: {range: '1.x'}, alphabetical: {}}}", "spec.policy"),
        ("spec: {image: a/b}", "spec.policy"),
        // The repository must be named, once, without a tag.
        ("spec: {policy: {semver: {range: '1.x'}}}", "spec.image"),
        ("spec: {image: a/b, imageRepositoryRef: {name: x}, policy: {semver: {range: '1.x'}}}", "spec.image"),
        ("spec: {image: 'a/b:1.0', policy: {semver: {range: '1.x'}}}", "spec.image"),
        ("spec: {image: 'UPPER/case', policy: {semver: {range: '1.x'}}}", "spec.image"),
        // Values that do not parse name their field.
        ("spec: {image: a/b, policy: {semver: {range: 'not a range'}}}", "spec.policy.semver.range"),
        ("spec: {image: a/b, policy: {alphabetical: {order: up}}}", "spec.policy.alphabetical.order"),
        ("spec: {image: a/b, policy: {semver: {range: '1.x'}}, filterTags: {pattern: '('}}", "spec.filterTags.pattern"),
        ("spec: {image: a/b, policy: {semver: {range: '1.x'}}, filterTags: {extract: '$1'}}", "spec.filterTags.extract"),
        ("spec: {image: a/b, policy: {semver: {range: '1.x'}}, interval: soon}", "spec.interval"),
        ("spec: {image: a/b, policy: {semver: {range: '1.x'}}, interval: 10ms}", "spec.interval"),
        ("spec: {image: a/b, policy: {semver: {range: '1.x'}}, digestReflectionPolicy: Sometimes}", "spec.digestReflectionPolicy"),
        ("spec: {image: a/b, policy: {semver: {range: '1.x'}}, insecure: 'yes'}", "spec.insecure"),
        ("spec: {image: a/b, policy: {semver: {range: '1.x'}}, secretRef: {}}", "spec.secretRef.name"),
    ])
    func invalidPolicyNamesTheField(_ spec: String, _ field: String) throws {
        let yaml = "apiVersion: keelson.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: bad, namespace: ns}\n" + spec + "\n"
        let error = #expect(throws: ImageResourceError.self) { try ImagePolicy(Self.manifest(yaml)) }
        #expect(error?.field == field, "\(String(describing: error))")
        #expect(error?.object == "ImagePolicy ns/bad")
    }
}

@Suite struct ImageUpdateAutomationParsingTests {
    static let head = "apiVersion: keelson.dev/v1alpha1\nkind: ImageUpdateAutomation\nmetadata: {name: auto, namespace: ns}\n"

    @Test func applicationSourceAndDefaults() throws {
        let automation = try ImageUpdateAutomation(
            ImagePolicyParsingTests.manifest(
                Self.head + """
                    spec:
                      interval: 10m
                      sourceRef: {kind: Application, name: web}
                      git:
                        checkout: {ref: {branch: main}}
                        commit: {author: {name: bot, email: bot@example.com}}
                        push: {branch: image-updates}
                      update: {path: ./apps/web, strategy: Setters}
                    """))
        #expect(automation.source == .application(name: "web", namespace: "ns"))
        #expect(automation.interval == .seconds(600))
        #expect(automation.checkoutBranch == "main" && automation.pushBranch == "image-updates")
        #expect(automation.path == "apps/web")
        #expect(automation.authorName == "bot" && automation.authorEmail == "bot@example.com")
    }

    @Test func repositoryURLSource() throws {
        let automation = try ImageUpdateAutomation(
            ImagePolicyParsingTests.manifest(
                Self.head + """
                    spec:
                      sourceRef: {repoURL: 'https://git.example.com/org/config.git', secretRef: {name: git-auth}}
                      git: {commit: {author: {email: bot@example.com}}}
                    """))
        #expect(automation.source == .repository(url: "https://git.example.com/org/config.git", secretRef: "git-auth"))
        #expect(automation.path == "." && automation.checkoutBranch == nil && automation.pushBranch == nil)
    }

    @Test(arguments: [
        ("spec: {sourceRef: {name: web}, git: {commit: {author: {name: bot}}}}", "spec.git.commit.author.email"),
        ("spec: {sourceRef: {kind: GitRepository, name: web}, git: {commit: {author: {email: a@b}}}}", "spec.sourceRef.kind"),
        ("spec: {sourceRef: {name: web, repoURL: 'https://x/y'}, git: {commit: {author: {email: a@b}}}}", "spec.sourceRef"),
        ("spec: {sourceRef: {}, git: {commit: {author: {email: a@b}}}}", "spec.sourceRef.name"),
        // An Application brings its own credentials.
        ("spec: {sourceRef: {name: web, secretRef: {name: x}}, git: {commit: {author: {email: a@b}}}}", "spec.sourceRef.secretRef"),
        ("spec: {sourceRef: {name: web}, git: {commit: {author: {email: a@b}}, push: {branch: 'a..b'}}}", "spec.git.push.branch"),
        ("spec: {sourceRef: {name: web}, git: {commit: {author: {email: a@b}}, checkout: {ref: {tag: v1}}}}", "spec.git.checkout.ref.tag"),
        ("spec: {sourceRef: {name: web}, git: {commit: {author: {email: a@b}}}, update: {path: ../other}}", "spec.update.path"),
        ("spec: {sourceRef: {name: web}, git: {commit: {author: {email: a@b}}}, update: {strategy: Regex}}", "spec.update.strategy"),
        ("spec: {sourceRef: {name: web}, git: {commit: {author: {email: a@b}, messageTemplate: '{{.Changed}}'}}}", "spec.git.commit.messageTemplate"),
        ("spec: {sourceRef: {name: web}, git: {commit: {author: {email: 'a@b>'}}}}", "spec.git.commit.author"),
    ])
    func invalidAutomationNamesTheField(_ spec: String, _ field: String) throws {
        let error = #expect(throws: ImageResourceError.self) { try ImageUpdateAutomation(ImagePolicyParsingTests.manifest(Self.head + spec + "\n")) }
        #expect(error?.field == field, "\(String(describing: error))")
    }
}

@Suite struct MessageTemplateTests {
    static let changes = [
        YAMLChange(file: "apps/web.yaml", line: 9, old: "ghcr.io/o/web:1.0.0", new: "ghcr.io/o/web:1.1.0", policy: "ns:web"),
        YAMLChange(file: "apps/other.yaml", line: 3, old: "ghcr.io/o/web:1.0.0", new: "ghcr.io/o/web:1.1.0", policy: "ns:web"),
        YAMLChange(file: "apps/values.yaml", line: 4, old: "5", new: "6", policy: "ns:worker"),
    ]

    /// The default message lists each image change once, from what to what.
    @Test func defaultTemplate() throws {
        let message = try MessageTemplate(ImageUpdateAutomation.defaultMessageTemplate)
            .render(automation: "ns/auto", branch: "main", path: "apps", changes: Self.changes)
        #expect(message == "Update images (ns/auto)\n\n- ns:web: ghcr.io/o/web:1.0.0 → ghcr.io/o/web:1.1.0\n- ns:worker: 5 → 6\n")
    }

    @Test func changesSectionAndTopLevelTags() throws {
        let template = try MessageTemplate("[{{branch}}] {{path}}\n{{#changes}}\n{{file}}:{{line}} {{old}} -> {{new}} ({{policy}})\n{{/changes}}")
        #expect(
            template.render(automation: "a", branch: "main", path: "apps", changes: Array(Self.changes.prefix(2)))
                == "[main] apps\napps/web.yaml:9 ghcr.io/o/web:1.0.0 -> ghcr.io/o/web:1.1.0 (ns:web)\napps/other.yaml:3 ghcr.io/o/web:1.0.0 -> ghcr.io/o/web:1.1.0 (ns:web)\n"
        )
    }

    @Test(arguments: [
        "{{.Changed.Changes}}", "{{#images}}{{file}}{{/images}}", "{{#images}}x", "{{/images}}", "{{#images}}{{#changes}}{{/changes}}{{/images}}",
        "{{automation", "{{#tags}}{{/tags}}",
    ])
    func invalidTemplates(_ text: String) {
        #expect(throws: MessageTemplate.Error.self) { try MessageTemplate(text) }
    }
}

@Suite struct ImageAutomationCRDTests {
    /// The CRDs the service installs are the files `deploy/crds/` ships.
    @Test func embeddedCRDsMatchTheShippedFiles() throws {
        for (file, yaml) in ImageAutomationCRDs.all {
            let shipped = try String(contentsOfFile: Fixtures.packageRoot() + "/deploy/crds/" + file, encoding: .utf8)
            #expect(yaml == shipped, "\(file)")
            let crd = try #require(try Manifest.decode(Array(shipped.utf8), file: file).first)
            #expect(crd.value[path: ["spec", "group"]] == "keelson.dev")
        }
        #expect(ImageAutomationCRDs.all.map(\.file) == ["imagepolicy.yaml", "imageupdateautomation.yaml"])
    }
}
