/// The application page's rollout panels: per Rollout its phase, steps (the current one
/// marked), set and actual weight, analysis verdicts with the last measurements, and for
/// operators the actions, posted to `/api/v1/applications/{name}/rollouts/{ns}/{rollout}/{action}`.
enum RolloutTemplates {
    static let panel = """
        {{#rollouts}}
        <section class="card rollout" data-rollout="{{id}}">
          <div class="title-row">
            <h2>Rollout {{name}} <span class="obj-ns">{{namespace}}</span></h2>
            <div class="badges">
              <span class="badge {{phaseClass}}" data-rollout-phase="{{phase}}">{{phase}}</span>
              {{^empty(reason)}}<span class="badge muted">{{reason}}</span>{{/empty(reason)}}
            </div>
          </div>
          {{^empty(message)}}<p class="health-message">{{message}}</p>{{/empty(message)}}
          <dl class="facts">
            <div><dt>Set weight</dt><dd data-set-weight="{{setWeight}}">{{setWeight}}%</dd></div>
            <div><dt>Actual weight</dt><dd data-actual-weight="{{actualWeight}}">{{actualWeight}}%</dd></div>
            <div><dt>Stable</dt><dd><code title="{{stableRevision}}">{{stableShort}}</code></dd></div>
            <div><dt>Canary</dt><dd><code title="{{canaryRevision}}">{{canaryShort}}</code></dd></div>
            {{^empty(requested)}}<div><dt>Requested</dt><dd>{{requested}}</dd></div>{{/empty(requested)}}
          </dl>
          {{^empty(steps)}}
          <ol class="steps">
          {{#steps}}<li class="step{{#current}} current{{/current}}{{#done}} done{{/done}}"{{#current}} aria-current="step" data-current-step="{{number}}"{{/current}}>{{number}}. {{text}}</li>{{/steps}}
          </ol>
          {{/empty(steps)}}
          {{#analysis}}
          <details class="analysis" open>
            <summary><span class="badge {{outcomeClass}}" data-analysis="{{slot}}">{{outcome}}</span> {{slot}} analysis: {{templates}}{{^empty(message)}} · {{message}}{{/empty(message)}}</summary>
            {{#metrics}}
            <h3>{{name}} <span class="badge {{phaseClass}}">{{phase}}</span></h3>
            <table class="history measurements">
              <thead><tr><th>Started</th><th>Result</th><th>Value</th><th>Message</th></tr></thead>
              <tbody>
              {{#measurements}}<tr><td>{{startedAt}}</td><td><span class="badge {{phaseClass}}">{{phase}}</span></td><td>{{value}}</td><td>{{message}}</td></tr>{{/measurements}}
              </tbody>
            </table>
            {{/metrics}}
          </details>
          {{/analysis}}
          {{#canOperate}}
          <div class="actions" role="group" aria-label="Rollout actions">
            <button type="button" class="primary" data-action="rollout" data-rollout-action="promote" data-rollout-namespace="{{namespace}}" data-rollout-name="{{name}}">Promote</button>
            <button type="button" data-action="rollout" data-rollout-action="promote-full" data-rollout-namespace="{{namespace}}" data-rollout-name="{{name}}" data-confirm="Skip every remaining step and analysis of {{name}}?">Promote full</button>
            <button type="button" data-action="rollout" data-rollout-action="abort" data-rollout-namespace="{{namespace}}" data-rollout-name="{{name}}" data-confirm="Abort {{name}} and send all traffic back to the stable version?">Abort</button>
            <button type="button" data-action="rollout" data-rollout-action="retry" data-rollout-namespace="{{namespace}}" data-rollout-name="{{name}}">Retry</button>
            <button type="button" data-action="rollout" data-rollout-action="pause" data-rollout-namespace="{{namespace}}" data-rollout-name="{{name}}">Pause</button>
            <button type="button" data-action="rollout" data-rollout-action="resume" data-rollout-namespace="{{namespace}}" data-rollout-name="{{name}}">Resume</button>
          </div>
          {{/canOperate}}
        </section>
        {{/rollouts}}

        """
}
