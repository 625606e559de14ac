/// The application list: filters (a plain GET form) and a live-updated table of applications.
enum ListTemplates {
    static let page = """
        <section class="list-page">
          <h1>Applications</h1>
          <form class="filters" method="get" action="/">
            <label>Sync
              <select name="sync">
                <option value="">any</option>
                {{#syncOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/syncOptions}}
              </select>
            </label>
            <label>Health
              <select name="health">
                <option value="">any</option>
                {{#healthOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/healthOptions}}
              </select>
            </label>
            <label class="grow">Search
              <input type="search" name="q" value="{{q}}" placeholder="name, namespace or repository" maxlength="200">
            </label>
            <button type="submit">Filter</button>
            {{#filtered}}<a class="clear" href="/">Clear</a>{{/filtered}}
          </form>
          <div id="live" data-live data-fragment="{{fragmentURL}}">
          {{> list_body}}
          </div>
        </section>

        """

    static let body = """
        {{^applications}}<p class="empty">{{#filtered}}No application matches these filters.{{/filtered}}{{^filtered}}No applications yet.{{/filtered}}</p>{{/applications}}
        {{^empty(applications)}}
        <table class="apps">
          <thead><tr><th>Name</th><th>Namespace</th><th>Sync</th><th>Health</th><th>Delivery</th><th>Revision</th><th>Last sync</th></tr></thead>
          <tbody>
          {{#applications}}
            <tr class="app" data-app="{{id}}">
              <td class="name"><a href="{{url}}">{{name}}</a>
                <span class="src">{{repoURL}}{{^empty(path)}} · {{path}}{{/empty(path)}}</span></td>
              <td class="ns" data-label="Namespace">{{namespace}}</td>
              <td data-label="Sync"><span class="badge {{syncClass}}" data-sync="{{sync}}">{{sync}}</span>
                {{#suspended}}<span class="badge muted" data-suspended>Suspended</span>{{/suspended}}
                {{#pinned}}<span class="badge info" data-pinned title="pinned to history entry {{historyID}}">Pinned {{revisionShort}}</span>{{/pinned}}</td>
              <td data-label="Health"><span class="badge {{healthClass}}" data-health="{{health}}" {{^empty(healthMessage)}} title="{{healthMessage}}"{{/empty(healthMessage)}}>{{health}}</span></td>
              <td data-label="Delivery">{{^empty(delivery)}}<span class="badge {{deliveryClass}}" data-delivery="{{delivery}}" title="{{deliveryMessage}}">{{delivery}}</span>{{/empty(delivery)}}
                {{#rolledBack}}<span class="badge bad" data-rolled-back>Rolled back {{revisionShort}}, serving {{servingShort}}</span>{{/rolledBack}}</td>
              <td class="rev" data-label="Revision"><code title="{{revision}}">{{revisionShort}}</code>{{#behind}} <span class="behind" title="latest {{latestRevision}}">→ {{latestShort}}</span>{{/behind}}</td>
              <td data-label="Last sync">{{#lastSync}}<span class="badge {{resultClass}}">{{result}}</span> <span class="age" title="{{finishedAt}}">{{age}} ago</span>{{/lastSync}}{{^lastSync}}<span class="none">never</span>{{/lastSync}}</td>
            </tr>
          {{/applications}}
          </tbody>
        </table>
        {{/empty(applications)}}
        {{^empty(clusters)}}
        <h2>Clusters</h2>
        <table class="clusters">
          <thead><tr><th>Name</th><th>Server</th><th>Connection</th><th>Applications</th></tr></thead>
          <tbody>
          {{#clusters}}
            <tr class="cluster" data-cluster="{{name}}">
              <td class="name">{{name}}</td>
              <td data-label="Server"><code>{{server}}</code></td>
              <td data-label="Connection"><span class="badge {{reachableClass}}" data-reachable="{{reachable}}"{{^empty(message)}} title="{{message}}"{{/empty(message)}}>{{reachable}}</span>
                {{^empty(message)}}<span class="src">{{message}}</span>{{/empty(message)}}</td>
              <td data-label="Applications">{{applications}}</td>
            </tr>
          {{/clusters}}
          </tbody>
        </table>
        {{/empty(clusters)}}
        {{^empty(alerts)}}
        <h2>Alerts</h2>
        <table class="clusters alerts">
          <thead><tr><th>Alert</th><th>Provider</th><th>Delivery</th><th>Last</th></tr></thead>
          <tbody>
          {{#alerts}}
            <tr class="alert" data-alert="{{name}}">
              <td class="name">{{name}}</td>
              <td data-label="Provider">{{provider}}</td>
              <td data-label="Delivery"><span class="badge {{readyClass}}" data-ready="{{ready}}"{{^empty(message)}} title="{{message}}"{{/empty(message)}}>{{ready}}</span>
                {{^empty(message)}}<span class="src">{{message}}</span>{{/empty(message)}}</td>
              <td data-label="Last">{{last}} <span class="src">{{lastTime}}</span></td>
            </tr>
          {{/alerts}}
          </tbody>
        </table>
        {{/empty(alerts)}}

        """
}
