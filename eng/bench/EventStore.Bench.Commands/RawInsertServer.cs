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
/// The baseline: a Kestrel minimal API inside the bench, on loopback, with one endpoint that does one single-row
/// INSERT per request on a pooled Npgsql connection (same PostgreSQL server and database as the app). It takes the same
/// kind of body as the deposit (a user and an amount) and answers with a small JSON document.
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
