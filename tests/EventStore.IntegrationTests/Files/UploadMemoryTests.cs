using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EventStore.IntegrationTests.Files;

/// <summary>
/// The app on Kestrel on a loopback port with the upload limit raised to 300 MB: a 200 MB upload travels through the real
/// HTTP stack, and the process's memory is sampled while it does (eng/bench/file-upload-memory.sh runs this test and
/// prints the figures; docs/performance.md records them). The client streams its body from a generator, so what grows
/// is the server's.
/// </summary>
public sealed class UploadMemoryFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "es-files-bench-" + Guid.NewGuid().ToString("N"));

    public Uri HttpUri { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("es_files_bench");
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true; // see MalformedRequestFixture
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Postgres", connectionString);
            builder.UseSetting("Jwt:SigningKey", AppFixture.SigningKey);
            builder.UseSetting("Auth:Mfa:RequiredRoles", "none");
            builder.UseSetting("GraphQL:AuthAttemptsPerUsername", "0");
            builder.UseSetting("GraphQL:AuthAttemptsPerAddress", "0");
            builder.UseSetting("GraphQL:AnonymousRequestsPerMinute", "0");
            builder.UseSetting("PersonalData:KeyEncryptionKey", AppFixture.PersonalDataKey);
            builder.UseSetting("Bootstrap:AdminUsername", AppFixture.AdminUsername);
            builder.UseSetting("Bootstrap:AdminPassword", AppFixture.AdminPassword);
            builder.UseSetting("MarketData:Enabled", "false");
            builder.UseSetting("Files:LocalPath", _folder);
            builder.UseSetting("Files:MaxUploadBytes", (300L * 1024 * 1024).ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        HttpUri = new Uri(address.TrimEnd('/') + "/");
    }

    public HttpClient CreateClient() => new() { BaseAddress = HttpUri, Timeout = TimeSpan.FromMinutes(10) };

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class UploadMemoryCollection : ICollectionFixture<UploadMemoryFixture>
{
    public const string Name = "files-memory";
}

[Collection(UploadMemoryCollection.Name)]
public sealed class UploadMemoryTests(UploadMemoryFixture app, ITestOutputHelper output)
{
    private const long Size = 200L * 1024 * 1024;
    private const long Budget = 50L * 1024 * 1024;

    [Fact]
    public async Task a_200_mb_upload_grows_the_process_memory_by_less_than_50_mb()
    {
        var client = new GraphQLClient(app.CreateClient);
        var (_, token) = await client.RegisterAndLogInAsync("uploader");
        using var http = app.CreateClient();
        // Warm up the path (JIT, pools, the owner's key) with a small upload, then measure from a collected heap.
        await UploadAsync(http, token, new GeneratedPng(1024 * 1024));
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        var managedBefore = GC.GetTotalMemory(forceFullCollection: false);
        process.Refresh();
        var workingSetBefore = process.WorkingSet64;
        long managedPeak = managedBefore, workingSetPeak = workingSetBefore;

        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            // Sampling memory while the upload runs (a measurement, not a wait for a condition).
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false))
            {
                managedPeak = Math.Max(managedPeak, GC.GetTotalMemory(false));
                process.Refresh();
                workingSetPeak = Math.Max(workingSetPeak, process.WorkingSet64);
            }
        });
        var content = new GeneratedPng(Size);
        var started = Stopwatch.StartNew();
        var uploaded = await UploadAsync(http, token, content);
        var elapsed = started.Elapsed;
        await sampling.CancelAsync();
        await sampler.ContinueWith(_ => { }, TaskScheduler.Default);

        var managedGrowth = managedPeak - managedBefore;
        var workingSetGrowth = workingSetPeak - workingSetBefore;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"file-upload-memory: size={Size / (1024 * 1024)} MB; managed heap peak growth={managedGrowth / (1024.0 * 1024):F1} MB; working set peak growth={workingSetGrowth / (1024.0 * 1024):F1} MB; elapsed={elapsed.TotalSeconds:F1} s (not asserted)"));
        Assert.Equal(Size, uploaded["size"]!.GetValue<long>());
        Assert.Equal(content.Sha256(), uploaded["sha256"]!.GetValue<string>());
        Assert.True(managedGrowth < Budget, $"managed heap grew by {managedGrowth} bytes");
        Assert.True(workingSetGrowth < Budget, $"working set grew by {workingSetGrowth} bytes");
    }

    private static async Task<JsonObject> UploadAsync(HttpClient http, string token, Stream content)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StreamContent(content, 64 * 1024), "file", "big.png");
        using var request = new HttpRequestMessage(HttpMethod.Post, "files") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>A seekable stream of a PNG signature then a repeated pseudo-random block: any size, no memory.</summary>
    private sealed class GeneratedPng(long length) : Stream
    {
        private static readonly byte[] Block = MakeBlock();
        private long _position;

        private static byte[] MakeBlock()
        {
            var block = new byte[64 * 1024];
            new Random(42).NextBytes(block);
            FileScenarios.PngSignature.CopyTo(block, 0);
            return block;
        }

        public string Sha256()
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (long at = 0; at < length; at += Block.Length)
            {
                hash.AppendData(Block, 0, (int)Math.Min(Block.Length, length - at));
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var within = (int)(_position % Block.Length);
            var n = (int)Math.Min(Math.Min(count, Block.Length - within), length - _position);
            Buffer.BlockCopy(Block, within, buffer, offset, n);
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
