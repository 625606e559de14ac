import Crypto
import Foundation
import Manifests
import Mustache

/// Renders the dashboard's pages from the API's JSON with the embedded Mustache templates.
/// Every value reaches the HTML through `{{ }}` and is escaped.
public struct DashboardRenderer: Sendable {
    private let library: MustacheLibrary
    /// A short hash of the stylesheet and script, appended to their URLs so browsers refetch
    /// them after an upgrade.
    public let assetVersion: String

    /// A template failed to parse (a defect of this module, found by its tests).
    public struct TemplateError: Error, CustomStringConvertible {
        /// The template's name.
        public var name: String
        /// The parser's message.
        public var message: String
        public var description: String { "dashboard template \(name): \(message)" }
    }

    /// Parses the templates.
    public init() throws(TemplateError) {
        let templates = [
            "layout": LayoutTemplates.layout, "login": LayoutTemplates.login, "error": LayoutTemplates.error,
            "list": ListTemplates.page, "list_body": ListTemplates.body,
            "application": ApplicationTemplates.page, "application_body": ApplicationTemplates.body, "rollouts_panel": RolloutTemplates.panel,
        ]
        var library = MustacheLibrary()
        for (name, text) in templates {
            do { try library.register(text, named: name) } catch { throw TemplateError(name: name, message: "\(error)") }
        }
        self.library = library
        let digest = SHA256.hash(data: Data((DashboardStylesheet.css + DashboardScript.javascript).utf8))
        assetVersion = digest.prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    /// The login page, with an error line after a failed attempt.
    public func loginPage(error: String?, next: String) -> String {
        var context: [String: Any] = ["next": next]
        if let error { context["error"] = error }
        return page(title: "Sign in", body: render("login", context), user: nil)
    }

    /// An error page (404, 403, 502 ...).
    public func errorPage(_ error: DashboardFetchError, principal: Principal?) -> String {
        let context: [String: Any] = ["status": String(error.status), "reason": error.reason, "message": error.message]
        return page(title: "\(error.status) \(error.reason)", body: render("error", context), user: principal)
    }

    /// The application list, and the registered clusters and notification Alerts when `clusters`
    /// and `notifications` hold the API's answers;
    /// with `fragment`, only the part the script swaps in.
    public func listPage(
        _ answer: JSONValue, filter: ApplicationFilter, principal: Principal, clusters: JSONValue? = nil, notifications: JSONValue? = nil,
        now: Date = Date(), fragment: Bool = false
    ) -> String {
        let model = DashboardViewModel(principal: principal, now: now)
        let context = model.list(answer, filter: filter, clusters: clusters, notifications: notifications)
        if fragment { return render("list_body", context) }
        return page(title: "Applications", body: render("list", context), user: principal)
    }

    /// The application page from the API's answers for the application, its resources, its
    /// diff, its history and its rollouts; with `fragment`, only the part the script swaps in.
    public func applicationPage(
        application: JSONValue, resources: JSONValue, diff: JSONValue, history: JSONValue, rollouts: JSONValue = .null,
        principal: Principal, now: Date = Date(), fragment: Bool = false
    ) -> String {
        let model = DashboardViewModel(principal: principal, now: now)
        var context = model.detail(app: application, resources: resources, diff: diff, history: history)
        context["rollouts"] = model.rollouts(rollouts, canOperate: context["canOperate"] as? Bool ?? false)
        if fragment { return render("application_body", context) }
        return page(title: application["name"]?.stringValue ?? "Application", body: render("application", context), user: principal)
    }

    private func page(title: String, body: String, user: Principal?) -> String {
        var context: [String: Any] = ["title": title, "body": body, "assetVersion": assetVersion]
        if let user { context["user"] = ["name": user.name, "role": user.role.rawValue] }
        return render("layout", context)
    }

    private func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }
}
