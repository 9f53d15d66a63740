namespace EventStore.GraphQL.Transport;

/// <summary>
/// `Cors:AllowedOrigins`: the browser origins (scheme://host[:port]) that may call the API, for HTTP (CORS) and for the
/// WebSocket upgrade alike. A list in configuration, or one value with the origins separated by commas (handy in an
/// environment variable). Empty: only the API's own origin. A request without `Origin` (not a browser) is never refused
/// for it: the Origin check stops other web sites from using a visitor's browser, nothing more.
/// </summary>
public sealed class AllowedOrigins
{
    public const string SectionName = "Cors:AllowedOrigins";

    private readonly HashSet<string> _origins;

    public AllowedOrigins(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(x => x.Value ?? "");
        _origins = new HashSet<string>(values
            .SelectMany(v => v.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(Normalize), StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyCollection<string> Origins => _origins;

    /// <summary>No Origin header, the API's own origin, or one on the list.</summary>
    public bool Allows(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        return _origins.Contains(Normalize(origin))
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value,
                StringComparison.OrdinalIgnoreCase));
    }

    private static string Normalize(string origin) => origin.Trim().TrimEnd('/');
}
