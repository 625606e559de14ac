/// The dashboard's stylesheet, served at `/assets/dashboard.css`: no framework, one column on
/// phones, tables that turn into labelled cards below 700px.
enum DashboardStylesheet {
    static let css = """
        :root {
          --bg: #f5f6f8; --card: #fff; --text: #1d2330; --muted: #5d6675; --line: #dde1e7;
          --accent: #2457c5; --ok: #1a7f45; --ok-bg: #e3f4ea; --warn: #9a5b00; --warn-bg: #fdf0d9;
          --bad: #b42318; --bad-bg: #fde7e5; --info: #1f5fa8; --info-bg: #e3eefb; --mute-bg: #eceef1;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 15px;
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--text); line-height: 1.45; }
        a { color: var(--accent); text-decoration: none; }
        a:hover { text-decoration: underline; }
        code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
        h1 { font-size: 1.5rem; margin: 0 0 .75rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
        main { max-width: 1200px; margin: 0 auto; padding: 1rem; }
        .top { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: .6rem 1rem;
          background: #172033; color: #fff; }
        .top .brand { color: #fff; font-weight: 700; letter-spacing: .02em; }
        .who { display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; justify-content: flex-end; }
        .who form { margin: 0; }
        .role { font-size: .8rem; padding: .05rem .45rem; border-radius: 999px; background: #2d3a55; }
        .live-state { font-size: .75rem; color: #aeb7c8; }
        .live-state.on { color: #7ee2a8; }
        button { font: inherit; padding: .45rem .9rem; border-radius: 6px; border: 1px solid var(--line);
          background: var(--card); color: var(--text); cursor: pointer; }
        button:hover { border-color: var(--accent); }
        button:disabled { opacity: .55; cursor: progress; }
        button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
        button.link { background: none; border: none; color: #cfd7e6; padding: 0; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.1rem; margin-bottom: 1rem; }
        .badge { display: inline-block; font-size: .78rem; font-weight: 600; padding: .1rem .5rem; border-radius: 999px;
          background: var(--mute-bg); color: var(--muted); white-space: nowrap; }
        .badge.ok { background: var(--ok-bg); color: var(--ok); }
        .badge.warn { background: var(--warn-bg); color: var(--warn); }
        .badge.bad { background: var(--bad-bg); color: var(--bad); }
        .badge.info { background: var(--info-bg); color: var(--info); }
        .flash { max-width: 1200px; margin: .75rem auto 0; padding: .6rem 1rem; border-radius: 8px; background: var(--info-bg); color: var(--info); }
        .flash.bad { background: var(--bad-bg); color: var(--bad); }
        .empty, .hint, .none { color: var(--muted); }
        .error { color: var(--bad); }
        .filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; margin-bottom: 1rem; }
        .filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); gap: .2rem; }
        .filters .grow { flex: 1 1 14rem; }
        .filters select, .filters input, .login input { font: inherit; padding: .4rem .5rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; min-width: 0; }
        .filters .clear { align-self: center; }
        table { width: 100%; border-collapse: collapse; background: var(--card); }
        table.apps, table.clusters { border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
        th, td { text-align: left; padding: .55rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: .78rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: #fafbfc; }
        td.name a { font-weight: 600; }
        .src { display: block; color: var(--muted); font-size: .8rem; overflow-wrap: anywhere; }
        .behind { color: var(--warn); font-size: .8rem; }
        .crumbs { font-size: .85rem; margin-bottom: .5rem; color: var(--muted); }
        .title-row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem; }
        .title-row h1 { margin: 0; }
        .badges { display: flex; flex-wrap: wrap; gap: .35rem; }
        .health-message { color: var(--muted); margin: .5rem 0 0; }
        .steps { display: flex; flex-wrap: wrap; gap: .35rem; padding: 0; list-style: none; }
        .steps .step { padding: .15rem .5rem; border: 1px solid var(--border, #ccc); border-radius: .3rem; color: var(--muted); }
        .steps .step.done { text-decoration: line-through; }
        .steps .step.current { color: inherit; font-weight: 600; border-width: 2px; }
        .facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .5rem 1.25rem; margin: 1rem 0; }
        .facts div { min-width: 0; }
        .facts dt { font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
        .facts dd { margin: 0; overflow-wrap: anywhere; }
        .actions { display: flex; flex-wrap: wrap; gap: .5rem; }
        .conditions { list-style: none; padding: 0; margin: 0; }
        .conditions li { padding: .3rem 0; overflow-wrap: anywhere; }
        details.kind { border-top: 1px solid var(--line); padding: .4rem 0; }
        details summary { cursor: pointer; font-weight: 600; }
        .count { font-size: .78rem; color: var(--muted); font-weight: 400; }
        .objects { list-style: none; margin: .4rem 0 0; padding: 0; }
        .object { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem .6rem; padding: .35rem .5rem; border-radius: 6px; }
        .object:nth-child(odd) { background: #f8f9fb; }
        .obj-name { font-weight: 500; overflow-wrap: anywhere; }
        .obj-ns { color: var(--muted); font-size: .85rem; }
        .obj-status { margin-left: auto; display: flex; gap: .3rem; }
        .obj-message, .obj-fields { flex-basis: 100%; color: var(--muted); font-size: .82rem; overflow-wrap: anywhere; }
        details.diff { margin-bottom: .75rem; }
        .diff-text { background: #0f1522; color: #d6deeb; padding: .75rem; border-radius: 8px; overflow-x: auto; margin: .5rem 0 0; line-height: 1.35; }
        .diff-text .add { color: #8fe0a4; }
        .diff-text .del { color: #ff9b93; }
        .diff-text .hunk { color: #8cb8ff; }
        .diff-text .file { color: #9aa5b8; }
        .history .msg { display: block; color: var(--muted); font-size: .8rem; }
        .login { max-width: 26rem; margin: 3rem auto; }
        .login form { display: flex; flex-direction: column; gap: .6rem; }
        @media (max-width: 700px) {
          main { padding: .6rem; }
          .top { padding: .5rem .7rem; }
          .who .user { display: none; }
          table.apps, table.apps tbody, table.clusters, table.clusters tbody, table.history, table.history tbody { display: block; border: none; background: none; }
          table.apps thead, table.clusters thead, table.history thead { display: none; }
          table.apps tr, table.clusters tr, table.history tr { display: grid; grid-template-columns: 1fr 1fr; gap: .35rem .75rem;
            background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: .7rem; margin-bottom: .6rem; }
          table.apps td, table.clusters td, table.history td { border: none; padding: 0; min-width: 0; }
          table.apps td.name, table.clusters td.name { grid-column: 1 / -1; }
          td[data-label]::before { content: attr(data-label); display: block; font-size: .7rem; text-transform: uppercase; color: var(--muted); letter-spacing: .04em; }
          .facts { grid-template-columns: 1fr 1fr; }
          .actions button { flex: 1 1 40%; }
          .obj-status { margin-left: 0; }
        }

        """
}
