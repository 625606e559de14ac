/// The page frame, the login page and the error page. Every `{{value}}` is HTML-escaped by
/// Mustache; the only unescaped value, `{{{body}}}`, is the output of another template here.
enum LayoutTemplates {
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Keelson</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/assets/dashboard.css?v={{assetVersion}}">
        <script src="/assets/dashboard.js?v={{assetVersion}}" defer></script>
        </head>
        <body>
        <header class="top">
          <a class="brand" href="/">Keelson</a>
          {{#user}}
          <div class="who">
            <span class="live-state" id="live-state" title="live updates">offline</span>
            <span class="user">{{name}}</span> <span class="role">{{role}}</span>
            <form method="post" action="/logout"><button class="link" type="submit">Log out</button></form>
          </div>
          {{/user}}
        </header>
        <div id="flash" class="flash" role="status" aria-live="polite" hidden></div>
        <main>
        {{{body}}}
        </main>
        </body>
        </html>

        """

    static let login = """
        <section class="login card">
          <h1>Sign in</h1>
          <p class="hint">Paste an API token. It is kept in an HttpOnly session cookie for this browser.</p>
          {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
          <form method="post" action="/login" autocomplete="off">
            <input type="hidden" name="next" value="{{next}}">
            <label for="token">Token</label>
            <input id="token" name="token" type="password" required autofocus spellcheck="false">
            <button type="submit" class="primary">Sign in</button>
          </form>
        </section>

        """

    static let error = """
        <section class="card error-page">
          <h1>{{status}} {{reason}}</h1>
          <p>{{message}}</p>
          <p><a href="/">All applications</a></p>
        </section>

        """
}
