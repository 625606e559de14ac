import Manifests
import Notify
import Progressive
import Testing

/// Reading Providers and Alerts (Keelson's and Flux's), routing events to them, and their words.
@Suite struct AlertTests {
    func manifest(_ yaml: String) throws -> Manifest { try #require(try Manifest.decode(Array(yaml.utf8), file: "test.yaml").first) }

    func event(
        _ type: EventType, namespace: String = "shop", name: String = "shop-web", labels: [String: String] = ["env": "prod"], message: String = "m"
    )
        -> NotificationEvent
    {
        NotificationEvent(
            type: type, source: EventSource(namespace: namespace, name: name, labels: labels), revision: String(repeating: "c", count: 40),
            message: message, key: "k", incidentKey: "i")
    }

    @Test func anAlertIsReadWithItsTemplatesChecked() throws {
        let alert = try NotifyObjects.alert(
            manifest(
                """
                apiVersion: keelson.dev/v1alpha1
                kind: Alert
                metadata: {name: prod, namespace: shop}
                spec:
                  providerRef: {name: team-slack}
                  sources: [{kind: Application, name: "shop-*", matchLabels: {env: prod}}]
                  events: [deployed, sync-failed]
                  severity: info
                  metadata: {cluster: prod-eu}
                  template:
                    text: "{{event.title}}: {{app.name}} {{revision.short}} on {{metadata.cluster}}{{#drift}} {{key}}{{/drift}}"
                """))
        #expect(alert.events == [.deployed, .syncFailed])
        let message = MessageRenderer().render(event(.syncFailed), alert: alert)
        #expect(message.text == "sync failed: shop-web ccccccc on prod-eu")

        let unknown = """
            apiVersion: keelson.dev/v1alpha1
            kind: Alert
            metadata: {name: bad, namespace: shop}
            spec: {providerRef: {name: p}, sources: [{kind: Application, name: "*"}], template: {text: "{{app.secret}}"}}
            """
        let refused = try manifest(unknown)
        let error = #expect(throws: NotifyObjectError.self) { try NotifyObjects.alert(refused) }
        #expect(error?.description.hasPrefix("Alert shop/bad: spec.template.text: unknown tag {{app.secret}}") == true)
    }

    @Test func fluxObjectsAreReadAsTheyAre() throws {
        let alert = try NotifyObjects.alert(
            manifest(
                """
                apiVersion: notification.toolkit.fluxcd.io/v1beta3
                kind: Alert
                metadata: {name: flux, namespace: shop}
                spec:
                  providerRef: {name: slack}
                  eventSeverity: error
                  eventSources: [{kind: Application, name: "*"}]
                  eventMetadata: {env: prod}
                  summary: "Cluster prod"
                """))
        #expect(alert.severity == .error && alert.metadata == ["env": "prod", "summary": "Cluster prod"])
        #expect(
            MessageRenderer().render(event(.syncFailed, message: "boom"), alert: alert).text == "sync failed: shop/shop-web · Cluster prod · boom")
        let provider = try NotifyObjects.provider(
            manifest(
                """
                apiVersion: notification.toolkit.fluxcd.io/v1beta3
                kind: Provider
                metadata: {name: slack, namespace: shop}
                spec: {type: slack, channel: deploys, secretRef: {name: slack-url}, timeout: 20s}
                """))
        #expect(provider.type == .slack && provider.channel == "deploys" && provider.secretRef == "slack-url" && provider.timeout == .seconds(20))
    }

    @Test func routingKeepsTenantsApart() throws {
        let router = AlertRouter(controllerNamespace: "keelson")
        var tenant = AlertSpec(namespace: "shop", name: "a", providerRef: "p", sources: [AlertSource(name: "shop-*", matchLabels: ["env": "prod"])])
        #expect(router.wants(tenant, event(.deployed)))
        #expect(!router.wants(tenant, event(.deployed, labels: ["env": "dev"])))
        #expect(!router.wants(tenant, event(.deployed, name: "other")))
        #expect(!router.wants(tenant, event(.deployed, namespace: "bank", name: "shop-web")))
        // A tenant's wildcard or another namespace reaches nothing.
        tenant.sources = [AlertSource(namespace: "*")]
        #expect(!router.wants(tenant, event(.deployed)))
        tenant.sources = [AlertSource(namespace: "bank")]
        #expect(!router.wants(tenant, event(.deployed, namespace: "bank")))
        // The controller's namespace may listen everywhere.
        var admin = AlertSpec(namespace: "keelson", name: "all", providerRef: "p", sources: [AlertSource(namespace: "*")])
        #expect(router.wants(admin, event(.deployed, namespace: "bank")))
        admin.severity = .warning
        #expect(!router.wants(admin, event(.deployed)) && router.wants(admin, event(.driftDetected)) && router.wants(admin, event(.syncFailed)))
        admin.exclusionList = ["^ignore"]
        #expect(!router.wants(admin, event(.syncFailed, message: "ignore me")))
        admin.events = [.healthDegraded]
        #expect(!router.wants(admin, event(.syncFailed)))
    }

    @Test func webhookBodiesEscapeWhatTheyInsert() throws {
        let alert = try NotifyObjects.alert(
            manifest(
                """
                apiVersion: keelson.dev/v1alpha1
                kind: Alert
                metadata: {name: hook, namespace: shop}
                spec:
                  providerRef: {name: hook}
                  sources: [{kind: Application, name: "*"}]
                  template: {webhook: {method: put, path: "/apps/{{app.name}}", body: '{"text": "{{message}}"}'}}
                """))
        let message = MessageRenderer(externalURL: "https://keelson.example/").render(event(.syncFailed, message: "a \"quoted\"\nline"), alert: alert)
        #expect(message.webhook == WebhookTemplate(method: "PUT", path: "/apps/shop-web", body: #"{"text": "a \"quoted\"\nline"}"#))
        #expect(message.url == "https://keelson.example/applications/shop/shop-web")
    }

    // Rollout events give templates the rollout's fields, as `{{rollout.KEY}}` and inside a
    // `{{#rollout}}` section that shows only for rollout events.
    @Test func rolloutFieldsAreTemplateTags() throws {
        let alert = try NotifyObjects.alert(
            manifest(
                """
                apiVersion: keelson.dev/v1alpha1
                kind: Alert
                metadata: {name: rollouts, namespace: shop}
                spec:
                  providerRef: {name: team-slack}
                  sources: [{kind: Application, name: "*"}]
                  events: [rollout-started, rollout-aborted]
                  template:
                    text: "{{event.type}} {{rollout.name}} {{rollout.phase}} {{rollout.revision.short}}{{#rollout}} at {{step}}/{{steps}}: {{message}}; serving {{stableRevision.short}}{{/rollout}}"
                """))
        #expect(alert.events == [.rolloutStarted, .rolloutAborted])
        var aborted = event(.rolloutAborted)
        var rollout = RolloutReport(namespace: "shop", name: "web", phase: "Aborted")
        (rollout.step, rollout.steps, rollout.message) = (1, 4, "aborted by request")
        (rollout.canaryRevision, rollout.stableRevision) = (String(repeating: "c", count: 40), String(repeating: "a", count: 40))
        aborted.rollout = rollout
        #expect(
            MessageRenderer().render(aborted, alert: alert).text == "rollout-aborted web Aborted ccccccc at 1/4: aborted by request; serving aaaaaaa")
        // Another event: the tags are empty and the section does not show.
        #expect(MessageRenderer().render(event(.deployed), alert: alert).text == "deployed   ")
    }
}

@Suite struct ArgoSubscriptionTests {
    @Test func argoAnnotationsAreImplicitAlerts() {
        let subscriptions = ArgoSubscriptions.subscriptions(
            namespace: "shop", name: "web",
            annotations: [
                "notifications.argoproj.io/subscribe.on-sync-failed.slack": "deploys; oncall",
                "notifications.argoproj.io/subscribe.on-deployed.hook": "",
                "notifications.argoproj.io/subscribe.on-created.hook": "",
                "notifications.argoproj.io/subscribe.on-nonsense.hook": "",
                "other": "x",
            ])
        #expect(subscriptions.map(\.alert.events) == [[.appCreated], [.deployed], [.syncFailed], [.syncFailed]])
        #expect(subscriptions.map(\.recipient) == [nil, nil, "deploys", "oncall"])
        #expect(subscriptions.allSatisfy { $0.alert.namespace == "shop" && $0.alert.sources == [AlertSource(name: "web")] })
        let router = AlertRouter(controllerNamespace: "keelson")
        let event = NotificationEvent(
            type: .syncFailed, source: EventSource(namespace: "shop", name: "web"), revision: "r", message: "m", key: "k", incidentKey: "i")
        #expect(router.wants(subscriptions[2].alert, event))
        #expect(
            !router.wants(
                subscriptions[2].alert,
                NotificationEvent(
                    type: .syncFailed, source: EventSource(namespace: "shop", name: "api"), revision: "r", message: "m", key: "k", incidentKey: "i")))
    }
}

@Suite struct ProviderReadingTests {
    @Test func aStatusContextIsCheckedWhenTheProviderIsRead() throws {
        func provider(_ context: String) throws -> ProviderSpec {
            let yaml = """
                apiVersion: keelson.dev/v1alpha1
                kind: Provider
                metadata: {name: gh, namespace: keelson}
                spec: {type: github, address: "https://github.com/shop/deploy", statusContext: "\(context)"}
                """
            return try NotifyObjects.provider(try #require(try Manifest.decode(Array(yaml.utf8), file: "p.yaml").first))
        }
        #expect(try provider("deploy/{{app.name}}").statusContext == "deploy/{{app.name}}")
        #expect(throws: NotifyObjectError.self) { try provider("deploy/{{app.token}}") }
    }
}
