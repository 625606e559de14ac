/// The application page: header with badges and actions, conditions, the resource tree
/// grouped by kind, the diff of out-of-sync objects, and the history with rollback buttons.
/// Action buttons exist in the HTML only when the caller's role allows them.
enum ApplicationTemplates {
    static let page = """
        <nav class="crumbs"><a href="/">Applications</a> / <span>{{namespace}}</span></nav>
        <div id="live" data-live data-fragment="{{fragmentURL}}" data-app="{{id}}" data-name="{{name}}" data-namespace="{{namespace}}">
        {{> application_body}}
        </div>

        """

    static let body = """
        <section class="app-head card">
          <div class="title-row">
            <h1>{{name}}</h1>
            <div class="badges">
              <span class="badge {{syncClass}}" id="app-sync" data-sync="{{sync}}">{{sync}}</span>
              <span class="badge {{healthClass}}" id="app-health" data-health="{{health}}">{{health}}</span>
              {{^empty(delivery)}}<span class="badge {{deliveryClass}}" id="app-delivery" data-delivery="{{delivery}}" title="{{deliveryMessage}}">{{delivery}}</span>{{/empty(delivery)}}
              {{#rolledBack}}<span class="badge bad" data-rolled-back>Rolled back {{revisionShort}}, serving {{servingShort}}</span>{{/rolledBack}}
              {{#suspended}}<span class="badge muted" data-suspended>Suspended</span>{{/suspended}}
              {{#pinned}}<span class="badge info" data-pinned>Pinned to #{{historyID}} {{revisionShort}}</span>{{/pinned}}
            </div>
          </div>
          {{^empty(deliveryMessage)}}<p class="health-message">{{deliveryMessage}}</p>{{/empty(deliveryMessage)}}
          {{^empty(healthMessage)}}<p class="health-message">{{healthMessage}}</p>{{/empty(healthMessage)}}
          <dl class="facts">
            <div><dt>Repository</dt><dd class="wrap">{{repoURL}}</dd></div>
            <div><dt>Path</dt><dd>{{path}}</dd></div>
            <div><dt>Target</dt><dd>{{targetRevision}}</dd></div>
            <div><dt>Live revision</dt><dd><code title="{{revision}}">{{revisionShort}}</code></dd></div>
            <div><dt>Latest</dt><dd><code title="{{latestRevision}}">{{latestShort}}</code></dd></div>
            <div><dt>Destination</dt><dd>{{destinationNamespace}}</dd></div>
            <div><dt>Policy</dt><dd>{{#automated}}automated{{#selfHeal}}, self-heal{{/selfHeal}}{{#prune}}, prune{{/prune}}{{/automated}}{{^automated}}manual{{/automated}}</dd></div>
            <div><dt>Last sync</dt><dd>{{#lastSync}}<span class="badge {{resultClass}}">{{result}}</span> {{initiator}} <span title="{{finishedAt}}">{{age}} ago</span>{{^empty(summary)}} · {{summary}}{{/empty(summary)}}{{/lastSync}}{{^lastSync}}never{{/lastSync}}</dd></div>
          </dl>
          {{#canOperate}}
          <div class="actions" role="group" aria-label="Actions">
            <button type="button" class="primary" data-action="sync" id="action-sync">Sync</button>
            <button type="button" data-action="sync" data-prune="true" data-confirm="Sync and delete objects Git no longer has?">Sync + prune</button>
            <button type="button" data-action="refresh" id="action-refresh">Refresh</button>
            {{#suspended}}<button type="button" data-action="resume" id="action-resume">Resume</button>{{/suspended}}
            {{^suspended}}<button type="button" data-action="suspend" id="action-suspend">Suspend</button>{{/suspended}}
          </div>
          {{/canOperate}}
        </section>

        {{> rollouts_panel}}

        {{^empty(conditions)}}
        <section class="card">
          <h2>Conditions</h2>
          <ul class="conditions">
          {{#conditions}}<li><span class="badge {{statusClass}}">{{type}}</span> <strong>{{reason}}</strong> {{message}}</li>{{/conditions}}
          </ul>
        </section>
        {{/empty(conditions)}}

        <section class="card">
          <h2>Resources</h2>
          {{^kinds}}<p class="empty">No resources.</p>{{/kinds}}
          {{#kinds}}
          <details class="kind" open>
            <summary><span class="kind-name">{{kind}}</span> <span class="count">{{count}}</span></summary>
            <ul class="objects">
            {{#items}}
              <li class="object" data-object="{{kind}}/{{namespace}}/{{name}}">
                <span class="obj-name">{{name}}</span>{{^empty(namespace)}} <span class="obj-ns">{{namespace}}</span>{{/empty(namespace)}}
                <span class="obj-status">
                  <span class="badge {{syncClass}}" data-sync="{{sync}}">{{sync}}</span>
                  {{^empty(health)}}<span class="badge {{healthClass}}" data-health="{{health}}">{{health}}</span>{{/empty(health)}}
                </span>
                {{^empty(healthMessage)}}<span class="obj-message">{{healthMessage}}</span>{{/empty(healthMessage)}}
                {{^empty(fields)}}<span class="obj-fields">changed: {{#fields}}<code>{{.}}</code> {{/fields}}</span>{{/empty(fields)}}
              </li>
            {{/items}}
            </ul>
          </details>
          {{/kinds}}
        </section>

        <section class="card" id="diffs">
          <h2>Differences <span class="count">{{diffCount}}</span></h2>
          {{^diffs}}<p class="empty">Live objects equal what Git says.</p>{{/diffs}}
          {{#diffs}}
          <details class="diff" open>
            <summary><span class="badge {{syncClass}}">{{sync}}</span> {{title}}</summary>
            <pre class="diff-text">{{#lines}}<span class="{{kind}}">{{text}}</span>
        {{/lines}}</pre>
          </details>
          {{/diffs}}
        </section>

        <section class="card">
          <h2>History</h2>
          {{^history}}<p class="empty">Nothing synced yet.</p>{{/history}}
          {{^empty(history)}}
          <table class="history">
            <thead><tr><th>#</th><th>Revision</th><th>Deployed</th><th>By</th><th>Result</th><th></th></tr></thead>
            <tbody>
            {{#history}}
              <tr data-history="{{id}}">
                <td>{{id}}</td>
                <td data-label="Revision"><code title="{{revision}}">{{revisionShort}}</code>{{#live}} <span class="badge ok">live</span>{{/live}}{{#pinned}} <span class="badge info">pinned</span>{{/pinned}}{{^empty(message)}}<span class="msg">{{message}}</span>{{/empty(message)}}</td>
                <td data-label="Deployed"><span title="{{deployedAt}}">{{age}} ago</span></td>
                <td data-label="By">{{initiator}}</td>
                <td data-label="Result"><span class="badge {{resultClass}}">{{result}}</span></td>
                <td>{{#canRollback}}<button type="button" data-action="rollback" data-id="{{id}}" data-confirm="Roll back to history entry {{id}} ({{revisionShort}})?">Rollback</button>{{/canRollback}}</td>
              </tr>
            {{/history}}
            </tbody>
          </table>
          {{/empty(history)}}
        </section>

        """
}
