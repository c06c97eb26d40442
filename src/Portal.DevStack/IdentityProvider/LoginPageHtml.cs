using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Portal.DevStack.IdentityProvider;

/// <summary>The plain, server-rendered sign-in page (no Blazor, no script). Every dynamic value is HTML-encoded.</summary>
internal static class LoginPageHtml
{
    private const string Head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>Sign in · Development identity provider</title>
        <style>
          :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
          body { margin: 0; background: #f3f4f6; color: #1f2937; }
          main { max-width: 34rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: .75rem;
                 box-shadow: 0 1px 3px rgba(0,0,0,.12); }
          h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
          .badge { display: inline-block; font-size: .75rem; font-weight: 600; letter-spacing: .03em; color: #92400e;
                   background: #fef3c7; border-radius: 999px; padding: .15rem .6rem; margin-bottom: 1rem; }
          p { line-height: 1.5; }
          form { display: grid; gap: .5rem; margin: 1.25rem 0 1.75rem; }
          label { font-weight: 600; font-size: .9rem; }
          input[type=text], input[type=password] { font: inherit; padding: .55rem .7rem; border: 1px solid #d1d5db;
                 border-radius: .4rem; }
          input:focus { outline: 2px solid #2563eb; outline-offset: 1px; }
          button { font: inherit; font-weight: 600; margin-top: .5rem; padding: .6rem; border: 0; border-radius: .4rem;
                   background: #2563eb; color: #fff; cursor: pointer; }
          button:hover { background: #1d4ed8; }
          .error { color: #991b1b; background: #fee2e2; border-radius: .4rem; padding: .6rem .8rem; }
          table { width: 100%; border-collapse: collapse; font-size: .9rem; }
          caption { text-align: left; font-weight: 600; margin-bottom: .4rem; }
          th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #e5e7eb; }
          th { background: #f9fafb; }
          code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
        </style>
        </head>
        <body>
        <main>
        <h1>Sign in</h1>
        <span class="badge">Development identity provider</span>
        <p>This stand-in replaces your organisation's sign-in while developing. Use one of the demo users listed below.</p>

        """;

    public static string Render(string pathBase, AntiforgeryTokenSet tokens, DemoUsers users, string returnUrl, string userName, string? error)
    {
        var e = HtmlEncoder.Default;
        var html = new StringBuilder(Head, 6 * 1024);

        if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(e.Encode(error)).Append("</p>\n");
        }

        html.Append("<form method=\"post\" action=\"").Append(e.Encode(pathBase + DevIdentityProviderSettings.LoginPath)).Append("\">\n");
        if (tokens.RequestToken is not null)
        {
            html.Append("<input type=\"hidden\" name=\"").Append(e.Encode(tokens.FormFieldName))
                .Append("\" value=\"").Append(e.Encode(tokens.RequestToken)).Append("\">\n");
        }

        html.Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(e.Encode(returnUrl)).Append("\">\n")
            .Append("<label for=\"username\">Username</label>\n")
            .Append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" autocapitalize=\"none\" required")
            .Append(userName.Length == 0 ? " autofocus" : string.Empty)
            .Append(" value=\"").Append(e.Encode(userName)).Append("\">\n")
            .Append("<label for=\"password\">Password</label>\n")
            .Append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required")
            .Append(userName.Length == 0 ? string.Empty : " autofocus").Append(">\n")
            .Append("<button type=\"submit\">Sign in</button>\n")
            .Append("</form>\n");

        html.Append("<table>\n<caption>Demo users</caption>\n")
            .Append("<thead><tr><th scope=\"col\">Username</th><th scope=\"col\">Password</th><th scope=\"col\">Name</th>")
            .Append("<th scope=\"col\">Groups</th></tr></thead>\n<tbody>\n");
        foreach (var user in users.All)
        {
            html.Append("<tr><td><code>").Append(e.Encode(user.UserName))
                .Append("</code></td><td><code>").Append(e.Encode(DemoUsers.Password))
                .Append("</code></td><td>").Append(e.Encode(user.Name))
                .Append("<br><small>").Append(e.Encode(user.Email))
                .Append("</small></td><td>").Append(e.Encode(string.Join(", ", user.Groups)))
                .Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }
}
