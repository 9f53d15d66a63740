using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace EventStore.LocalPostgres;

/// <summary>Superuser name and password of a local data directory. ToString never shows the password.</summary>
internal sealed record PostgresCredentials(string Username, string Password)
{
    public static PostgresCredentials Generate(string username) =>
        new(username, Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    public override string ToString() => $"PostgresCredentials {{ Username = {Username} }}";
}

/// <summary>Paths inside a data directory and the credentials file the API keeps there.</summary>
internal sealed class PostgresDataDirectory(string path)
{
    public const string CredentialsFileName = "eventstore.credentials";

    public string FullPath { get; } = Path.GetFullPath(path);

    public string LogFile => Path.Combine(FullPath, "server.log");

    public bool IsInitialised => File.Exists(Path.Combine(FullPath, "PG_VERSION"));

    /// <summary>initdb writes here first; the folder is renamed to <see cref="FullPath"/> once it is complete.</summary>
    public string StagingPath => FullPath + ".initdb";

    public void EnsureEmptyOrMissing()
    {
        if (Directory.Exists(FullPath) && Directory.EnumerateFileSystemEntries(FullPath).Any())
        {
            throw new LocalPostgresException(
                $"{FullPath} is not empty and is not a PostgreSQL data directory (it has no PG_VERSION). " +
                $"Delete it, or set {LocalPostgresOptions.SectionName}:DataDirectory to an empty or missing folder.");
        }
    }

    public PostgresCredentials ReadCredentials(string expectedUsername)
    {
        var file = Path.Combine(FullPath, CredentialsFileName);
        var lines = File.Exists(file) ? File.ReadAllLines(file) : [];
        string? Value(string key) =>
            lines.Where(line => line.StartsWith(key + "=", StringComparison.Ordinal)).Select(line => line[(key.Length + 1)..]).FirstOrDefault();
        var (username, password) = (Value("username"), Value("password"));
        if (username is null || string.IsNullOrEmpty(password))
        {
            throw new LocalPostgresException(
                $"The data directory {FullPath} has no readable {CredentialsFileName} (it was not created by the API). " +
                $"Delete the folder to let the API initialise a new one, or set {LocalPostgresOptions.SectionName}:DataDirectory elsewhere.");
        }

        if (username != expectedUsername)
        {
            throw new LocalPostgresException(
                $"The data directory {FullPath} was initialised for the superuser '{username}', but " +
                $"{LocalPostgresOptions.SectionName}:Username is '{expectedUsername}'. Set it back to '{username}', " +
                "or delete the folder to initialise a new one.");
        }

        return new PostgresCredentials(username, password);
    }

    /// <summary>Writes the credentials file (mode 0600) into <paramref name="folder"/>.</summary>
    public static void WriteCredentials(string folder, PostgresCredentials credentials) =>
        WritePrivateFile(
            Path.Combine(folder, CredentialsFileName),
            $"username={credentials.Username}\npassword={credentials.Password}\n");

    public static void WritePrivateFile(string file, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(file, options);
        stream.Write(Encoding.UTF8.GetBytes(content));
    }

    public static void CreatePrivateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The last lines of server.log, for error messages.</summary>
    public string LogTail(int lines = 20)
    {
        try
        {
            if (!File.Exists(LogFile))
            {
                return $"({LogFile} does not exist)";
            }

            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Max(0, stream.Length - 16_384), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var tail = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines);
            return $"Last lines of {LogFile}:{Environment.NewLine}" + string.Join(Environment.NewLine, tail.Select(line => "  " + line));
        }
        catch (IOException ex)
        {
            return $"({LogFile} could not be read: {ex.Message})";
        }
    }
}
