namespace EventStore.LocalPostgres;

/// <summary>The local PostgreSQL server could not be prepared or started; the message says what to do about it.</summary>
public sealed class LocalPostgresException : Exception
{
    private const string UseExistingServer =
        "or point the API at an existing server by setting ConnectionStrings__Postgres (configuration key ConnectionStrings:Postgres)";

    public LocalPostgresException()
    {
    }

    public LocalPostgresException(string message) : base(message)
    {
    }

    public LocalPostgresException(string message, Exception innerException) : base(message, innerException)
    {
    }

    internal static LocalPostgresException BinariesNotFound(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return new LocalPostgresException(
                "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH nor under /usr/lib/postgresql/*/bin. " +
                "Install them (for example `apt-get install postgresql`), " +
                $"or set {LocalPostgresOptions.SectionName}:BinDirectory to the folder that holds them, {UseExistingServer}.");
        }

        var discovered = PostgresBinaries.Find(null);
        var hint = discovered is null ? "" : $" (on this machine they are in {discovered})";
        var fullPath = Path.GetFullPath(configured);
        var resolved = fullPath == configured ? "" : $" ({fullPath})";
        return new LocalPostgresException(
            $"{LocalPostgresOptions.SectionName}:BinDirectory is '{configured}'{resolved}, " +
            "but that folder does not hold initdb, pg_ctl and postgres. " +
            $"Set it to the folder that holds them{hint}, remove the setting to search PATH and /usr/lib/postgresql/*/bin, " +
            $"{UseExistingServer}.");
    }

    internal static LocalPostgresException Failed(string what, string details, Exception? inner = null)
    {
        var message = $"{what}{Environment.NewLine}{details}{Environment.NewLine}" +
            $"Fix the cause shown above, {UseExistingServer}.";
        return inner is null ? new LocalPostgresException(message) : new LocalPostgresException(message, inner);
    }
}
