using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventStore.Bench.Commands;

/// <summary>
/// The baseline: a Kestrel minimal API on loopback, with one endpoint that does one single-row INSERT per request on a
/// pooled Npgsql connection (same PostgreSQL server and database as the app). It takes the same kind of body as the
/// deposit (a user and an amount) and answers with a small JSON document. It runs as a process of its own
/// (<see cref="RawInsertProcess"/>), as the app does, with the app's garbage collector (Server GC): the load generator
/// then measures two servers laid out the same way, and neither shares a thread pool with the client.
/// </summary>
public sealed class RawInsertServer : IAsyncDisposable
{
    private const string Table = "public.bench_raw_deposits";

    private readonly WebApplication _app;
    private readonly NpgsqlDataSource _database;

    private RawInsertServer(WebApplication app, NpgsqlDataSource database, Uri uri)
    {
        _app = app;
        _database = database;
        Uri = uri;
    }

    public Uri Uri { get; }

    public static async Task<RawInsertServer> StartAsync(string connectionString)
    {
        var database = NpgsqlDataSource.Create(connectionString);
        await using (var create = database.CreateCommand(
            $"create table if not exists {Table} (id uuid primary key, user_id uuid not null, amount numeric not null, at timestamptz not null default now())"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var port = FreeLoopbackPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        // The warm-up waits until this process has stopped compiling methods (LoadRunner.JitQuiet), as for the app.
        app.MapGet("/compiled-methods", () => System.Runtime.JitInfo.GetCompiledMethodCount());
        app.MapPost("/deposit", async (RawDeposit body, CancellationToken ct) =>
        {
            await using var insert = database.CreateCommand($"insert into {Table} (id, user_id, amount) values ($1, $2, $3)");
            insert.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
            insert.Parameters.Add(new NpgsqlParameter { Value = body.UserId });
            insert.Parameters.Add(new NpgsqlParameter { Value = body.Amount });
            await insert.ExecuteNonQueryAsync(ct);
            return Results.Ok(new { ok = true });
        });
        await app.StartAsync();
        return new RawInsertServer(app, database, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed record RawDeposit(Guid UserId, decimal Amount);

/// <summary>
/// <see cref="RawInsertServer"/> in a child process: this bench's own dll started again with
/// <see cref="Argument"/>. The connection string goes through the environment (it may carry a password), the child
/// writes its address on its first line, and it stops when its standard input closes (also when this process dies).
/// </summary>
public sealed class RawInsertProcess : IAsyncDisposable
{
    public const string Argument = "raw-insert-server";
    private const string ConnectionVariable = "EVENTSTORE_BENCH_RAW_POSTGRES";
    private const string Listening = "listening ";

    private readonly Process _process;

    private RawInsertProcess(Process process, Uri uri)
    {
        _process = process;
        Uri = uri;
    }

    public Uri Uri { get; }

    public int ProcessId => _process.Id;

    public static async Task<RawInsertProcess> StartAsync(string connectionString)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(RawInsertProcess).Assembly.Location);
        start.ArgumentList.Add(Argument);
        start.Environment[ConnectionVariable] = connectionString;
        start.Environment["DOTNET_gcServer"] = "1"; // the app's setting (Microsoft.NET.Sdk.Web), not this tool's
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(ready.Token) is { } line)
            {
                if (line.StartsWith(Listening, StringComparison.Ordinal))
                {
                    return new RawInsertProcess(process, new Uri(line[Listening.Length..]));
                }
            }

            throw new InvalidOperationException("The raw-insert server exited before it listened.");
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>The child's side: serve until standard input closes.</summary>
    public static async Task ServeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(ConnectionVariable)
            ?? throw new InvalidOperationException($"{ConnectionVariable} is not set.");
        await using var server = await RawInsertServer.StartAsync(connectionString);
        Console.WriteLine(Listening + server.Uri);
        await Console.In.ReadToEndAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(stopped.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
