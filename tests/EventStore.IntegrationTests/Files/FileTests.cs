using System.Net;
using System.Security.Cryptography;
using System.Text;
using EventStore.Api.Files;
using EventStore.Domain.Files;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Files;

/// <summary>The local-disk store (the default).</summary>
[Collection(LocalFilesCollection.Name)]
public sealed class LocalFileTests(LocalFilesFixture app) : FileTests(app);

/// <summary>The S3 store against a real S3-compatible server (npm s3rver on loopback: S3FilesFixture).</summary>
[Collection(S3FilesCollection.Name)]
public sealed class S3FileTests(S3FilesFixture app) : FileTests(app);

/// <summary>
/// Upload, download, access and erasure over the app's real HTTP pipeline and real PostgreSQL; every test runs once per
/// store (<see cref="LocalFileTests"/>, <see cref="S3FileTests"/>).
/// </summary>
public abstract class FileTests(LocalFilesFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);
    private readonly HttpClient _http = app.Host.Server.CreateClient();

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync()
    {
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task an_upload_downloads_as_the_same_bytes_with_its_sha256_as_etag()
    {
        var (aliceId, alice) = await _client.RegisterAndLogInAsync("alice");
        var content = FileScenarios.Png(200_000); // four chunks, the last one short
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));

        var uploaded = await FileScenarios.UploadOkAsync(_http, alice, content, "chart.png");
        using var download = await FileScenarios.DownloadAsync(_http, alice, uploaded.Str("id"));
        var bytes = await download.Content.ReadAsByteArrayAsync();

        Assert.Equal(sha, uploaded.Str("sha256"));
        Assert.Equal(200_000, uploaded["size"]!.GetValue<long>());
        Assert.Equal("image/png", uploaded.Str("contentType"));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, bytes);
        Assert.Equal($"\"{sha}\"", download.Headers.ETag!.Tag);
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("chart.png", download.Content.Headers.ContentDisposition.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        var file = (await _client.FileAsync(alice, uploaded.Str("id"))).Ok("file");
        Assert.Equal(sha, file.Str("sha256"));
        Assert.Equal(aliceId.ToString(), file.Str("ownerId"));
        Assert.Equal("chart.png", file.Str("name"));
        Assert.Equal(0, app.SpoolCount());

        // The stored object is ciphertext: the plaintext's bytes appear nowhere in it.
        var store = app.Host.Services.GetRequiredService<IFileStore>();
        Assert.IsType(app is S3FilesFixture ? typeof(S3FileStore) : typeof(LocalFileStore), store);
        await using var raw = await store.OpenReadAsync(FileStorageKeys.For(aliceId, Guid.Parse(uploaded.Str("id"))), 0, CancellationToken.None);
        using var copy = new MemoryStream();
        await raw.CopyToAsync(copy);
        Assert.Equal(FileCipher.CiphertextSize(content.Length), copy.Length);
        Assert.Equal(-1, copy.ToArray().AsSpan().IndexOf(content.AsSpan(1000, 64)));
    }

    [Fact]
    public async Task a_range_request_returns_exactly_the_bytes_asked_for_across_chunks_and_if_none_match_gets_304()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("alice");
        var content = FileScenarios.Png(300_000, seed: 7);
        var id = (await FileScenarios.UploadOkAsync(_http, alice, content, "big.png")).Str("id");

        using var range = await FileScenarios.DownloadAsync(_http, alice, id, r => r.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(65_000, 140_000));
        using var tail = await FileScenarios.DownloadAsync(_http, alice, id, r => r.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(null, 10));
        var etag = (await FileScenarios.DownloadAsync(_http, alice, id)).Headers.ETag!;
        using var cached = await FileScenarios.DownloadAsync(_http, alice, id, r => r.Headers.IfNoneMatch.Add(etag));

        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(content.AsSpan(65_000, 75_001).ToArray(), await range.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes 65000-140000/300000", range.Content.Headers.ContentRange!.ToString());
        Assert.Equal(content.AsSpan(300_000 - 10).ToArray(), await tail.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
    }

    [Fact]
    public async Task a_file_attached_in_a_private_room_is_read_by_its_members_and_is_not_found_for_anyone_else()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("alice");
        var (bobId, bob) = await _client.RegisterAndLogInAsync("bob");
        var (_, carol) = await _client.RegisterAndLogInAsync("carol");
        var content = Encoding.UTF8.GetBytes("date,symbol,qty\n2026-12-04,ACME,10\n");
        var id = (await FileScenarios.UploadOkAsync(_http, alice, content, "trades.csv")).Str("id");
        var room = await _client.CreateRoomAsync(alice, "Desk", "PRIVATE");
        (await _client.InviteAsync(alice, room, bobId)).Ok("inviteToRoom");

        using var bobBefore = await FileScenarios.DownloadAsync(_http, bob, id);
        (await _client.PostWithAttachmentsAsync(alice, room, "today's trades", id)).Ok("postMessage");
        using var bobAfter = await FileScenarios.DownloadAsync(_http, bob, id);
        using var carolGets = await FileScenarios.DownloadAsync(_http, carol, id);
        using var unknown = await FileScenarios.DownloadAsync(_http, carol, Guid.NewGuid().ToString());
        using var anonymous = await FileScenarios.DownloadAsync(_http, null, id);
        var carolQuery = await _client.FileAsync(carol, id);
        var carolRoom = await _client.CreateRoomAsync(carol, "Mine", "PRIVATE");
        var eventsBefore = (await app.AllEventsAsync()).Count;
        var carolAttaches = await _client.PostWithAttachmentsAsync(carol, carolRoom, "stolen", id);

        Assert.Equal(HttpStatusCode.NotFound, bobBefore.StatusCode); // not attached yet: the owner's only
        Assert.Equal(HttpStatusCode.OK, bobAfter.StatusCode);
        Assert.Equal(content, await bobAfter.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/plain", bobAfter.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, carolGets.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Null(carolQuery.Ok("file"));
        Assert.Equal(["NOT_FOUND"], carolAttaches.Codes);
        Assert.Equal(eventsBefore, (await app.AllEventsAsync()).Count);
        var attachments = (await _client.FileAsync(bob, id)).Ok("file")["attachments"]!.AsArray();
        Assert.Equal("MESSAGE", Assert.Single(attachments)!.Str("kind"));
    }

    [Fact]
    public async Task a_file_attached_to_a_post_is_read_by_signed_in_users_until_the_post_is_deleted()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("poster");
        var (_, bob) = await _client.RegisterAndLogInAsync("reader");
        var (_, carol) = await _client.RegisterAndLogInAsync("taker");
        var content = FileScenarios.Png(2_000, seed: 7);
        var id = (await FileScenarios.UploadOkAsync(_http, alice, content, "idea.png")).Str("id");
        const string create = "mutation($t: String!, $a: [ID!]) { createPost(input: {text: $t, attachmentIds: $a}) { post { id } } }";

        using var bobBefore = await FileScenarios.DownloadAsync(_http, bob, id);
        var post = (await _client.SendAsync(create, new { t = "see the chart", a = new[] { id } }, alice)).Ok("createPost")["post"]!.Str("id");
        using var bobAfter = await FileScenarios.DownloadAsync(_http, bob, id);
        var eventsBefore = (await app.AllEventsAsync()).Count;
        var carolAttaches = await _client.SendAsync(create, new { t = "mine now", a = new[] { id } }, carol);
        var eventsAfterRefusal = (await app.AllEventsAsync()).Count;
        (await _client.SendAsync("mutation($p: ID!) { deletePost(input: {postId: $p}) { post { id } } }", new { p = post }, alice)).Ok("deletePost");
        using var bobAfterDelete = await FileScenarios.DownloadAsync(_http, bob, id);
        using var aliceAfterDelete = await FileScenarios.DownloadAsync(_http, alice, id);

        Assert.Equal(HttpStatusCode.NotFound, bobBefore.StatusCode); // not attached yet: the owner's only
        Assert.Equal(HttpStatusCode.OK, bobAfter.StatusCode);
        Assert.Equal(content, await bobAfter.Content.ReadAsByteArrayAsync());
        Assert.Equal(["NOT_FOUND"], carolAttaches.Codes); // someone else's file: no post, no attachment
        Assert.Equal(eventsBefore, eventsAfterRefusal);
        Assert.Equal(HttpStatusCode.NotFound, bobAfterDelete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, aliceAfterDelete.StatusCode);
        var attachment = Assert.Single((await _client.FileAsync(alice, id)).Ok("file")["attachments"]!.AsArray());
        Assert.Equal("POST", attachment!.Str("kind"));
    }

    [Fact]
    public async Task an_upload_over_the_limit_is_refused_with_413_and_stores_nothing()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("alice");
        var events = (await app.AllEventsAsync()).Count;
        var objects = await app.ObjectCountAsync();

        using var response = await FileScenarios.UploadAsync(_http, alice, FileScenarios.Png((int)LocalFilesFixture.MaxUploadBytes + 1), "huge.png");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("FILE_TOO_LARGE", await response.Content.ReadAsStringAsync());
        Assert.Equal(events, (await app.AllEventsAsync()).Count);
        Assert.Equal(objects, await app.ObjectCountAsync());
        Assert.Equal(0, app.SpoolCount());
    }

    [Fact]
    public async Task a_file_of_a_refused_type_is_refused_whatever_the_client_claims_and_stores_nothing()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("alice");
        var events = (await app.AllEventsAsync()).Count;
        var objects = await app.ObjectCountAsync();
        var executable = new byte[4096];
        "MZ"u8.CopyTo(executable);
        executable[100] = 0; // binary: not text, and no allowed signature
        var textThenBinary = Encoding.UTF8.GetBytes(new string('a', 100_000) + "\0binary");

        using var exe = await FileScenarios.UploadAsync(_http, alice, executable, "photo.png", claimedType: "image/png");
        using var late = await FileScenarios.UploadAsync(_http, alice, textThenBinary, "notes.txt", claimedType: "text/plain");
        using var empty = await FileScenarios.UploadAsync(_http, alice, [], "empty.txt");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, exe.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, late.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(events, (await app.AllEventsAsync()).Count);
        Assert.Equal(objects, await app.ObjectCountAsync());
        Assert.Equal(0, app.SpoolCount());
    }

    [Fact]
    public async Task a_file_the_scanner_refuses_gets_422_and_nothing_is_stored()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("alice");
        var events = (await app.AllEventsAsync()).Count;
        var objects = await app.ObjectCountAsync();

        using var response = await FileScenarios.UploadAsync(_http, alice,
            Encoding.UTF8.GetBytes("%PDF-1.4\n" + new string('x', 70_000) + RefusingScanner.Marker), "report.pdf");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(events, (await app.AllEventsAsync()).Count);
        Assert.Equal(objects, await app.ObjectCountAsync());
        Assert.Equal(0, app.SpoolCount());
    }

    [Fact]
    public async Task after_the_owner_is_erased_their_files_cannot_be_read_by_anyone()
    {
        var (aliceId, alice) = await _client.RegisterAndLogInAsync("alice");
        var (_, bob) = await _client.RegisterAndLogInAsync("bob");
        var id = (await FileScenarios.UploadOkAsync(_http, alice, FileScenarios.Png(1000), "me.png")).Str("id");
        (await _client.SetAvatarAsync(alice, id)).Ok("setAvatar");
        using var before = await FileScenarios.DownloadAsync(_http, bob, id);

        await _client.EraseAsync(aliceId);
        using var after = await FileScenarios.DownloadAsync(_http, bob, id);
        using var asAdmin = await FileScenarios.DownloadAsync(_http, await _client.LogInAsAdminAsync(), id);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode); // an avatar: anyone logged in
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, asAdmin.StatusCode);
        Assert.Null((await _client.FileAsync(bob, id)).Ok("file"));
    }

    [Fact]
    public async Task an_avatar_must_be_an_image_of_yours_and_the_name_is_sanitized()
    {
        var (aliceId, alice) = await _client.RegisterAndLogInAsync("alice");
        var (_, bob) = await _client.RegisterAndLogInAsync("bob");
        var pdf = (await FileScenarios.UploadOkAsync(_http, alice, Encoding.UTF8.GetBytes("%PDF-1.7\nhello"), "..\\..\\evil<name>.exe")).Str("id");
        var png = (await FileScenarios.UploadOkAsync(_http, alice, FileScenarios.Png(500), "face.png")).Str("id");

        var pdfAvatar = await _client.SetAvatarAsync(alice, pdf);
        var notMine = await _client.SetAvatarAsync(bob, png);
        var name = (await _client.FileAsync(alice, pdf)).Ok("file").Str("name");
        (await _client.SetAvatarAsync(alice, png)).Ok("setAvatar");
        await app.WaitForProjectionsAsync();
        var seenByBob = (await _client.SendAsync("query($u: ID!) { user(id: $u) { avatarFileId } }", new { u = aliceId }, bob)).Ok("user");
        using var bobDownloads = await FileScenarios.DownloadAsync(_http, bob, seenByBob.Str("avatarFileId"));

        Assert.Equal(["CONFLICT"], pdfAvatar.Codes);
        Assert.Equal(["NOT_FOUND"], notMine.Codes);
        Assert.Equal("evil_name_.exe.pdf", name);
        Assert.Equal(png, seenByBob.Str("avatarFileId")); // the profile names the avatar; anyone signed in reads it
        Assert.Equal(HttpStatusCode.OK, bobDownloads.StatusCode);
    }

    [Fact]
    public async Task an_upload_left_unattached_past_the_retention_is_discarded_and_an_attached_one_stays()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("alice");
        var objects = await app.ObjectCountAsync();
        var loose = (await FileScenarios.UploadOkAsync(_http, alice, FileScenarios.Png(800, 1), "loose.png")).Str("id");
        var avatar = (await FileScenarios.UploadOkAsync(_http, alice, FileScenarios.Png(800, 2), "kept.png")).Str("id");
        (await _client.SetAvatarAsync(alice, avatar)).Ok("setAvatar");
        await app.WaitForProjectionsAsync();
        var sweeper = app.Host.Services.GetRequiredService<FileSweeper>();

        var early = await sweeper.SweepAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var late = await sweeper.SweepAsync(DateTimeOffset.UtcNow + LocalFilesFixture.Retention + TimeSpan.FromMinutes(1), CancellationToken.None);
        using var looseAfter = await FileScenarios.DownloadAsync(_http, alice, loose);
        using var avatarAfter = await FileScenarios.DownloadAsync(_http, alice, avatar);

        Assert.Equal(0, early);
        Assert.Equal(1, late);
        Assert.Equal(HttpStatusCode.NotFound, looseAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, avatarAfter.StatusCode);
        Assert.Equal(objects + 1, await app.ObjectCountAsync());
        var discarded = Assert.Single((await app.AllEventsAsync()).Select(e => e.Data).OfType<FileDiscarded>());
        Assert.Equal(Guid.Parse(loose), discarded.FileId);
    }

    [Fact]
    public async Task an_old_attached_file_moves_to_the_archive_storage_class_on_s3_and_nothing_happens_on_local_disk()
    {
        var (aliceId, alice) = await _client.RegisterAndLogInAsync("alice");
        var content = FileScenarios.Png(5000);
        var id = (await FileScenarios.UploadOkAsync(_http, alice, content, "old.png")).Str("id");
        (await _client.SetAvatarAsync(alice, id)).Ok("setAvatar");
        await app.WaitForProjectionsAsync();
        var sweeper = app.Host.Services.GetRequiredService<FileSweeper>();
        var key = FileStorageKeys.For(aliceId, Guid.Parse(id));

        var early = await sweeper.ArchiveAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var late = await sweeper.ArchiveAsync(DateTimeOffset.UtcNow + LocalFilesFixture.ArchiveAfter + TimeSpan.FromHours(1), CancellationToken.None);
        var archived = (await app.AllEventsAsync()).Select(e => e.Data).OfType<FileArchived>().ToList();
        using var download = await FileScenarios.DownloadAsync(_http, alice, id);

        Assert.Equal(0, early);
        if (app is S3FilesFixture)
        {
            Assert.Equal(1, late);
            Assert.Equal("GLACIER", await app.StorageClassAsync(key));
            Assert.Equal("GLACIER", Assert.Single(archived).StorageClass);
        }
        else
        {
            Assert.Equal(0, late);
            Assert.Empty(archived);
        }

        // s3rver does not enforce Glacier's restore step, so the bytes still read there (real S3 answers 503 FILE_ARCHIVED).
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task an_upload_without_a_token_is_refused_with_401()
    {
        using var response = await FileScenarios.UploadAsync(_http, null, FileScenarios.Png(100), "x.png");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
