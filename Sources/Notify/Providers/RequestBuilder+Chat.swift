import Manifests

/// `slack`, `msteams` and `discord`: the rendered text, with a colour by severity.
extension RequestBuilder {
    /// Slack's incoming webhook (the Secret's `address`), or with a `token` its Web API
    /// `chat.postMessage`, which needs a channel and answers errors with 200 `"ok": false`.
    static func slack(_ input: RequestInput) throws(DeliveryFailure) -> OutgoingRequest {
        var body = JSONObject()
        if let channel = input.provider.channel { body["channel"] = .string(channel) }
        if let username = input.provider.username { body["username"] = .string(username) }
        body["text"] = .string(input.message.text)
        var attachment: JSONObject = [
            "color": .string(slackColors[input.event.severity]!),
            "fields": [
                ["title": "Application", "value": .string(input.application), "short": true],
                ["title": "Revision", "value": .string(input.shortRevision), "short": true],
            ],
            "footer": "keelson",
        ]
        if let url = input.message.url { attachment["title_link"] = .string(url) }
        attachment["title"] = .string(input.message.title)
        body["attachments"] = [.object(attachment)]
        guard let token = input.credentials.token, !token.isEmpty else { return input.json(try input.address(), .object(body)) }
        guard input.provider.channel != nil else { throw input.failure("slack with a token needs spec.channel") }
        let hasAddress = (input.credentials.address ?? input.provider.address)?.isEmpty == false
        let url = hasAddress ? try input.address() : "https://slack.com/api/chat.postMessage"
        var request = input.json(url, .object(body))
        request.setHeader("Authorization", "Bearer " + token)
        request.answer = .slackOK
        return request
    }

    /// An Adaptive Card (what Teams Workflows and connectors both take), title coloured by severity.
    static func msteams(_ input: RequestInput) throws(DeliveryFailure) -> OutgoingRequest {
        let colors: [Severity: String] = [.info: "Good", .warning: "Warning", .error: "Attention"]
        var card: JSONObject = [
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": [
                [
                    "type": "TextBlock", "text": .string(input.message.title), "weight": "Bolder", "size": "Medium",
                    "color": .string(colors[input.event.severity]!), "wrap": true,
                ],
                ["type": "TextBlock", "text": .string(input.message.text), "wrap": true],
                [
                    "type": "FactSet",
                    "facts": [
                        ["title": "Application", "value": .string(input.application)],
                        ["title": "Revision", "value": .string(input.shortRevision)],
                    ],
                ],
            ],
        ]
        if let url = input.message.url {
            card["actions"] = [["type": "Action.OpenUrl", "title": "Open in Keelson", "url": .string(url)]]
        }
        let body: JSONValue = [
            "type": "message",
            "attachments": [["contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": nil, "content": .object(card)]],
        ]
        return input.json(try input.address(), body)
    }

    /// Discord's webhook shape: `content` plus one embed. Mentions are switched off, so a commit
    /// subject holding `@everyone` pings no one.
    static func discord(_ input: RequestInput) throws(DeliveryFailure) -> OutgoingRequest {
        let colors: [Severity: Int64] = [.info: 0x2EB886, .warning: 0xDAA038, .error: 0xA30200]
        var embed: JSONObject = [
            "title": .string(input.message.title.cut(to: 256)),
            "color": .number(JSONNumber(colors[input.event.severity]!)),
            "fields": [
                ["name": "Application", "value": .string(input.application), "inline": true],
                ["name": "Revision", "value": .string(input.shortRevision.isEmpty ? "-" : input.shortRevision), "inline": true],
            ],
        ]
        if let url = input.message.url { embed["url"] = .string(url) }
        var body = JSONObject()
        if let username = input.provider.username { body["username"] = .string(username) }
        body["content"] = .string(input.message.text.cut(to: 2000))
        body["embeds"] = [.object(embed)]
        body["allowed_mentions"] = ["parse": []]
        return input.json(try input.address(), .object(body))
    }

    private static let slackColors: [Severity: String] = [.info: "good", .warning: "warning", .error: "danger"]
}
