namespace EventStore.LocalPostgres;

/// <summary>
/// Settings of the local PostgreSQL server the API can start for development (section <c>EmbeddedPostgres</c>).
/// </summary>
public sealed record LocalPostgresOptions
{
    public const string SectionName = "EmbeddedPostgres";

    /// <summary>
    /// Data directory; a relative path is taken relative to the current working directory. Null: the default
    /// <see cref="DefaultDataDirectory"/>, or a folder under <see cref="FallbackRoot"/> when the server's account cannot
    /// reach it (<see cref="DataDirectoryPlacement"/>).
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>The default data directory; settable for tests only (the app always uses .data/postgres).</summary>
    public string DefaultDataDirectory { get; internal init; } = DataDirectoryPlacement.DefaultPath;

    /// <summary>Where the replacement of an unreachable default goes; settable for tests only.</summary>
    internal string FallbackRoot { get; init; } = DataDirectoryPlacement.FallbackRoot;

    /// <summary>TCP port on 127.0.0.1; null picks a free loopback port at every start.</summary>
    public int? Port { get; init; }

    /// <summary>Application database, created on start when missing.</summary>
    public string Database { get; init; } = "eventstore";

    /// <summary>Superuser created by initdb; the API connects as this user.</summary>
    public string Username { get; init; } = "eventstore";

    /// <summary>Folder holding initdb, pg_ctl and postgres; null searches PATH, then /usr/lib/postgresql/*/bin.</summary>
    public string? BinDirectory { get; init; }
}
