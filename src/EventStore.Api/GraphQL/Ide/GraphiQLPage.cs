using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace EventStore.Api.GraphQL.Ide;

/// <summary>
/// The GraphiQL IDE (docs/api.md#graphql-ide): the page on `/graphiql`, or on `GET /graphql` from a browser (Accept
/// `text/html`, no `query` parameter); its scripts and styles from wwwroot/graphiql, built by eng/graphiql/build.sh and
/// committed, so nothing is ever loaded from another origin. The page and its assets carry a Content-Security-Policy
/// that allows this origin only (styles inline too: GraphiQL and Monaco set them at run time). The page names an empty
/// icon, so a browser does not ask for /favicon.ico (which the API does not serve) and log a 404 on every load.
/// </summary>
public static class GraphiQLPage
{
    public const string Path = "/graphiql";

    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; "
        + "style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        + "frame-ancestors 'none'";

    private const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>EventStore GraphiQL</title>
          <link rel="icon" href="data:,">
          <link rel="stylesheet" href="/graphiql/graphiql.css">
          <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
        </head>
        <body>
          <div id="graphiql">Loading GraphiQL…</div>
          <script type="module" src="/graphiql/index.js"></script>
        </body>
        </html>
        """;

    /// <summary>The page's assets, before the endpoints; their headers as the page's.</summary>
    public static IApplicationBuilder UseGraphiQLAssets(this IApplicationBuilder app, IWebHostEnvironment environment)
    {
        var folder = System.IO.Path.Combine(environment.WebRootPath ?? System.IO.Path.Combine(environment.ContentRootPath, "wwwroot"),
            "graphiql");
        if (!Directory.Exists(folder))
        {
            return app; // a build without the assets (docs/api.md#graphql-ide): the page says so
        }

        return app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = Path,
            FileProvider = new PhysicalFileProvider(folder),
            OnPrepareResponse = file => SecurityHeaders(file.Context.Response),
        });
    }

    public static IEndpointRouteBuilder MapGraphiQL(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, WriteAsync);
        return endpoints;
    }

    /// <summary>A browser navigating to `/graphql`: it asks for HTML and sends no GraphQL request.</summary>
    public static bool IsPageRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Query.ContainsKey("query")
        && MediaTypeHeaderValue.TryParseList(request.Headers.Accept.ToString().Split(','), out var types)
        && types.Any(t => string.Equals(t.MediaType.Value, "text/html", StringComparison.OrdinalIgnoreCase) && t.Quality is not 0);

    public static async Task WriteAsync(HttpContext http)
    {
        SecurityHeaders(http.Response);
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.WriteAsync(Html, http.RequestAborted);
    }

    private static void SecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
