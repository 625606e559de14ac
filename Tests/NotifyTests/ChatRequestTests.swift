import Foundation
import Notify
import Testing

@Suite struct ChatRequestTests {
    static let hook = "https://chat.example.com/hooks/abc"

    // slack: channel, username and text, with an attachment coloured by severity.
    @Test func slackCarriesTheTextAndAColour() throws {
        var provider = Sample.provider(.slack)
        provider.channel = "deploys"
        provider.username = "Keelson"
        let event = Sample.event(.syncFailed)
        let request = try #require(try Sample.request(event, provider, Sample.credentials(address: Self.hook)))
        let body = request.object
        #expect(body["channel"] as? String == "deploys" && body["username"] as? String == "Keelson")
        #expect(body["text"] as? String == "sync failed: guestbook 3f2a1c0")
        let attachment = try #require((body["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["color"] as? String == "danger")
        #expect(request.answer == .status)
    }

    // With a bot token, slack posts to chat.postMessage with a bearer token and reads `ok`.
    @Test func slackWithATokenUsesTheWebAPI() throws {
        var provider = Sample.provider(.slack)
        provider.channel = "C123"
        let request = try #require(try Sample.request(Sample.event(.deployed), provider, Sample.credentials(token: "xoxb-1")))
        #expect(request.url == "https://slack.com/api/chat.postMessage")
        #expect(request.header("Authorization") == "Bearer xoxb-1")
        #expect(request.answer == .slackOK)
        #expect(throws: DeliveryFailure.self) {
            try Sample.request(Sample.event(.deployed), Sample.provider(.slack), Sample.credentials(token: "xoxb-1"))
        }
    }

    // msteams: an Adaptive Card whose first block is the title and second the text.
    @Test func msteamsSendsAnAdaptiveCard() throws {
        let event = Sample.event(.healthDegraded)
        var message = Sample.message(event)
        message.url = "https://keelson.example.com/apps/keelson/guestbook"
        let request = try #require(try Sample.request(event, Sample.provider(.msteams, address: Self.hook), message: message))
        let attachment = try #require((request.object["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        let blocks = try #require(card["body"] as? [[String: Any]])
        #expect(blocks[0]["text"] as? String == message.title && blocks[0]["color"] as? String == "Attention")
        #expect(blocks[1]["text"] as? String == message.text)
        let action = try #require((card["actions"] as? [[String: Any]])?.first)
        #expect(action["url"] as? String == message.url)
    }

    // discord: content and an embed; mentions are off so a commit subject cannot ping @everyone.
    @Test func discordSendsContentWithoutMentions() throws {
        var provider = Sample.provider(.discord, address: Self.hook)
        provider.username = "Keelson"
        let event = Sample.event(.driftDetected)
        let request = try #require(try Sample.request(event, provider))
        let body = request.object
        #expect(body["username"] as? String == "Keelson")
        #expect(body["content"] as? String == Sample.message(event).text)
        let embed = try #require((body["embeds"] as? [[String: Any]])?.first)
        #expect(embed["title"] as? String == Sample.message(event).title)
        #expect(embed["color"] as? Int == 0xDAA038)
        #expect((body["allowed_mentions"] as? [String: [String]])?["parse"] == [])
    }

    // alertmanager: one alert with labels and annotations; the resolving event carries the same
    // labels as the one that opened the incident, so Alertmanager resolves that alert.
    @Test func alertmanagerOpensAndResolvesTheSameAlert() throws {
        let provider = Sample.provider(.alertmanager, address: "http://alertmanager:9093")
        let trigger = try #require(try Sample.request(Sample.event(.healthDegraded), provider))
        let resolve = try #require(try Sample.request(Sample.event(.healthRecovered), provider))
        #expect(trigger.url == "http://alertmanager:9093/api/v2/alerts")
        let opened = try #require(try JSONSerialization.jsonObject(with: Data(trigger.body)) as? [[String: Any]]).first
        let closed = try #require(try JSONSerialization.jsonObject(with: Data(resolve.body)) as? [[String: Any]]).first
        let labels = try #require(opened?["labels"] as? [String: String])
        #expect(labels["namespace"] == "keelson" && labels["application"] == "guestbook" && labels["severity"] == "error")
        #expect(labels["incident"] == "inc-7f3a")
        #expect(closed?["labels"] as? [String: String] == labels)
        #expect(opened?["startsAt"] as? String == "2025-06-15T15:06:40Z" && opened?["endsAt"] == nil)
        #expect(closed?["endsAt"] as? String == "2025-06-15T15:06:40Z")
        let annotations = try #require(opened?["annotations"] as? [String: String])
        #expect(annotations["summary"] == "health degraded: keelson/guestbook" && annotations["event"] == "health-degraded")
        #expect(annotations["description"] == Sample.message(Sample.event(.healthDegraded)).text)
    }

    // Events that are not incidents are alerts named after their type, with their own severity.
    @Test func alertmanagerNamesOtherAlertsAfterTheEvent() throws {
        let request = try #require(try Sample.request(Sample.event(.driftDetected), Sample.provider(.alertmanager, address: "http://am:9093")))
        let alert = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [[String: Any]]).first
        #expect(
            alert?["labels"] as? [String: String] == [
                "alertname": "drift-detected", "severity": "warning", "namespace": "keelson", "application": "guestbook",
            ])
    }
}
