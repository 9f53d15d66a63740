using System.Text.RegularExpressions;
using Npgsql;

namespace EventStore.Api.Database;

/// <summary>
/// Which role serves requests and background work. Either `ConnectionStrings:PostgresServing` is given and used as is
/// (the operator made the role), or the app provisions a login role itself through the owner connection
/// (`ConnectionStrings:Postgres`, or the embedded server's superuser): `Postgres:ServingRole` (default
/// `&lt;database&gt;_app`: roles are cluster-wide, so one per database) with `Postgres:ServingPassword`, or a generated
/// password kept in an owner-only table (docs/operations.md#database-roles).
/// </summary>
public sealed partial record ServingRoleSettings(string? ServingConnectionString, string Role, string? Password)
{
    public const string SectionName = "Postgres";
    public const string ServingConnectionStringName = "PostgresServing";
    public const string RoleSuffix = "_app";

    /// <summary>True when the app creates and maintains the role; false when `ConnectionStrings:PostgresServing` names it.</summary>
    public bool Provisioned => ServingConnectionString is null;

    public static ServingRoleSettings Read(IConfiguration configuration, string ownerConnectionString)
    {
        var serving = configuration.GetConnectionString(ServingConnectionStringName);
        if (!string.IsNullOrWhiteSpace(serving))
        {
            var user = new NpgsqlConnectionStringBuilder(serving).Username;
            return string.IsNullOrEmpty(user)
                ? throw new DatabaseRoleException($"ConnectionStrings:{ServingConnectionStringName} must name its role (Username=...).")
                : new ServingRoleSettings(serving, user, null);
        }

        var role = configuration[SectionName + ":ServingRole"];
        if (string.IsNullOrWhiteSpace(role))
        {
            var database = new NpgsqlConnectionStringBuilder(ownerConnectionString).Database ?? "eventstore";
            role = DefaultRoleFor(database);
        }
        else if (!Identifier().IsMatch(role))
        {
            throw new DatabaseRoleException(
                $"{SectionName}:ServingRole is '{role}': it must be a lower-case PostgreSQL identifier (letters, digits, '_', at most 63).");
        }

        var password = configuration[SectionName + ":ServingPassword"];
        if (!string.IsNullOrEmpty(password) && (password.Length < 12 || !ScramVerifier.CanVerify(password)))
        {
            throw new DatabaseRoleException(
                $"{SectionName}:ServingPassword must be at least 12 printable ASCII characters (or leave it unset: the app then generates one).");
        }

        return new ServingRoleSettings(null, role, string.IsNullOrEmpty(password) ? null : password);
    }

    /// <summary>`&lt;database&gt;_app`, cut to PostgreSQL's 63-byte identifier limit.</summary>
    public static string DefaultRoleFor(string database)
    {
        var name = database.ToLowerInvariant();
        return (name.Length > 63 - RoleSuffix.Length ? name[..(63 - RoleSuffix.Length)] : name) + RoleSuffix;
    }

    public override string ToString() => $"ServingRoleSettings {{ Role = {Role}, Provisioned = {Provisioned} }}";

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
