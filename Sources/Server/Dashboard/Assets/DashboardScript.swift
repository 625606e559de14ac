/// The dashboard's script, served at `/assets/dashboard.js` (no inline script, so the
/// Content-Security-Policy can forbid it): live updates from `/api/v1/events`, which re-fetch
/// the page's fragment, and action buttons posted with `fetch` and `X-Keelson-Request: 1`.
enum DashboardScript {
    static let javascript = """
        (function () {
          'use strict';
          var root = document.getElementById('live');
          var flash = document.getElementById('flash');
          var liveState = document.getElementById('live-state');
          var timer = null;
          var inFlight = false;
          var again = false;

          function show(message, bad) {
            if (!flash) { return; }
            flash.textContent = message;
            flash.className = bad ? 'flash bad' : 'flash';
            flash.hidden = false;
          }

          function closedSections() {
            var closed = [];
            root.querySelectorAll('details:not([open]) > summary').forEach(function (s) { closed.push(s.textContent); });
            return closed;
          }

          function refresh() {
            if (!root) { return; }
            if (inFlight) { again = true; return; }
            inFlight = true;
            var closed = closedSections();
            fetch(root.dataset.fragment, { credentials: 'same-origin', headers: { 'X-Keelson-Request': '1' } })
              .then(function (response) {
                if (response.status === 401) { window.location.assign('/login'); return null; }
                return response.ok ? response.text() : null;
              })
              .then(function (html) {
                if (html === null || html === undefined) { return; }
                root.innerHTML = html;
                root.querySelectorAll('details > summary').forEach(function (s) {
                  if (closed.indexOf(s.textContent) >= 0) { s.parentElement.open = false; }
                });
                root.dispatchEvent(new CustomEvent('keelson:refreshed'));
              })
              // A fetch that failed (a timeout on a busy server) is tried again, rather than
              // leaving the page stale until some later event.
              .catch(function () { setTimeout(schedule, 2000); })
              .then(function () {
                inFlight = false;
                if (again) { again = false; schedule(); }
              });
          }

          function schedule() {
            if (timer !== null) { clearTimeout(timer); }
            timer = setTimeout(function () { timer = null; refresh(); }, 250);
          }

          function connect() {
            var events = new EventSource('/api/v1/events');
            events.addEventListener('open', function () {
              if (liveState) { liveState.textContent = 'live'; liveState.className = 'live-state on'; }
            });
            events.addEventListener('error', function () {
              if (liveState) { liveState.textContent = 'reconnecting'; liveState.className = 'live-state'; }
              // The browser retries by itself (with Last-Event-ID) unless the server refused the
              // stream; then start a new one later and re-fetch, which also notices a lost session.
              if (events.readyState === EventSource.CLOSED) {
                setTimeout(connect, 5000);
                schedule();
              }
            });
            ['application', 'rollout'].forEach(function (name) {
              events.addEventListener(name, function (event) {
                var data;
                try { data = JSON.parse(event.data); } catch (e) { return; }
                if (root.dataset.app && data.application !== root.dataset.app) { return; }
                schedule();
              });
            });
          }

          if (root && window.EventSource) { connect(); }

          var labels = { sync: 'Sync', refresh: 'Refresh', rollback: 'Rollback', suspend: 'Suspend', resume: 'Resume', rollout: 'Rollout' };

          document.addEventListener('click', function (event) {
            var button = event.target.closest ? event.target.closest('button[data-action]') : null;
            if (!button || !root || !root.dataset.name) { return; }
            var action = button.dataset.action;
            if (!labels[action]) { return; }
            var label = action === 'rollout' ? button.textContent + ' ' + button.dataset.rolloutName : labels[action];
            if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) { return; }
            var body = {};
            if (action === 'sync' && button.dataset.prune === 'true') { body.prune = true; }
            if (action === 'rollback') { body.id = parseInt(button.dataset.id, 10); }
            var path = action;
            if (action === 'rollout') {
              path = 'rollouts/' + encodeURIComponent(button.dataset.rolloutNamespace) + '/' +
                encodeURIComponent(button.dataset.rolloutName) + '/' + encodeURIComponent(button.dataset.rolloutAction);
            }
            var url = '/api/v1/applications/' + encodeURIComponent(root.dataset.name) + '/' + path +
              '?namespace=' + encodeURIComponent(root.dataset.namespace);
            button.disabled = true;
            fetch(url, {
              method: 'POST',
              credentials: 'same-origin',
              headers: { 'Content-Type': 'application/json', 'X-Keelson-Request': '1' },
              body: JSON.stringify(body)
            }).then(function (response) {
              if (response.status === 401) { window.location.assign('/login'); return; }
              return response.json().catch(function () { return {}; }).then(function (reply) {
                if (response.ok) {
                  show(label + (response.status === 202 ? ' requested.' : ' done.'), false);
                } else {
                  var message = reply && reply.error && reply.error.message ? reply.error.message : ('HTTP ' + response.status);
                  show(label + ' failed: ' + message, true);
                }
              });
            }).catch(function () {
              show(label + ' failed: the server did not answer.', true);
            }).then(function () {
              button.disabled = false;
              schedule();
            });
          });
        })();

        """
}
