using System.Text;
using EventStore.Domain;
using EventStore.Domain.Files;
using EventStore.Domain.Files.Avatars;
using EventStore.Domain.Files.Discarding;

namespace EventStore.UnitTests.Files;

public sealed class FileTypesTests
{
    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, FileTypes.Png)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, FileTypes.Jpeg)]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' }, FileTypes.Gif)]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 1, 2, 3, 4, (byte)'W', (byte)'E', (byte)'B', (byte)'P' }, FileTypes.WebP)]
    [InlineData(new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', (byte)'1' }, FileTypes.Pdf)]
    [InlineData(new byte[] { (byte)'M', (byte)'Z', 0x90, 0 }, FileTypes.Text)] // only a candidate: TextCheck refuses it
    public void the_type_is_recognised_from_the_first_bytes(byte[] head, string expected) =>
        Assert.Equal(expected, FileTypes.Sniff(head));

    [Fact]
    public void text_is_valid_utf8_without_control_characters_even_when_a_sequence_spans_two_chunks()
    {
        var bytes = Encoding.UTF8.GetBytes("price,€\r\n1,2\t3\n");
        var split = Array.IndexOf(bytes, (byte)0xE2) + 1; // inside the euro sign
        var check = new TextCheck();
        check.Feed(bytes.AsSpan(0, split));
        check.Feed(bytes.AsSpan(split));

        Assert.True(check.Complete());
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', 0, (byte)'b' })]            // NUL
    [InlineData(new byte[] { (byte)'a', 0x1B, (byte)'[' })]         // ESC
    [InlineData(new byte[] { (byte)'a', 0xC3 })]                    // cut sequence at the end
    [InlineData(new byte[] { 0xC0, 0xAF })]                         // overlong form
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]                   // encoded surrogate
    public void binary_or_broken_utf8_is_not_text(byte[] bytes)
    {
        var check = new TextCheck();
        check.Feed(bytes);

        Assert.False(check.Complete());
    }
}

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("chart.png", FileTypes.Png, "chart.png")]
    [InlineData("..\\..\\evil<name>.exe", FileTypes.Pdf, "evil_name_.exe.pdf")]
    [InlineData("/etc/passwd", FileTypes.Text, "passwd.txt")]
    [InlineData("a\u0000b\r\nc\".csv", FileTypes.Text, "a_b__c_.csv")]
    [InlineData("...", FileTypes.Png, "file.png")]
    [InlineData(null, FileTypes.Jpeg, "file.jpg")]
    [InlineData("photo.JPEG", FileTypes.Jpeg, "photo.JPEG")]
    [InlineData("e\u0301t\u00e9.gif", FileTypes.Gif, "\u00e9t\u00e9.gif")]
    public void a_name_is_the_last_segment_cleaned_with_the_types_extension(string? name, string type, string expected) =>
        Assert.Equal(expected, FileNames.Sanitize(name, type));

    [Fact]
    public void a_long_name_is_cut_to_the_limit_without_splitting_a_character()
    {
        var name = FileNames.Sanitize(string.Concat(Enumerable.Repeat("😀", 300)) + ".png", FileTypes.Png);

        Assert.True(name.Length <= FileNames.MaxLength);
        Assert.EndsWith(".png", name, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(name[^5]));
    }
}

public sealed class FileDecidersTests
{
    private static readonly Guid Owner = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9c01");
    private static readonly Guid FileId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9d01");
    private static readonly DateTimeOffset UploadedAt = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static StoredFile File(string type, params object[] since)
    {
        var file = new StoredFile();
        file.Apply(new FileUploaded(FileId, Owner, new string('a', 64), 10, type, PersonalDataFixture.Seal(Owner, "x"), "k", UploadedAt));
        foreach (var e in since)
        {
            switch (e)
            {
                case FileAttached a: file.Apply(a); break;
                case FileDiscarded d: file.Apply(d); break;
            }
        }

        return file;
    }

    [Fact]
    public void an_avatar_must_be_an_image_owned_by_the_user()
    {
        Assert.Equal(AttachmentKind.Avatar, SetAvatarHandler.Decide(File(FileTypes.Png), new SetAvatar(Owner, FileId), UploadedAt).Kind);
        Assert.Throws<ConflictException>(() => SetAvatarHandler.Decide(File(FileTypes.Pdf), new SetAvatar(Owner, FileId), UploadedAt));
        Assert.Throws<NotFoundException>(() => SetAvatarHandler.Decide(File(FileTypes.Png), new SetAvatar(Guid.NewGuid(), FileId), UploadedAt));
        Assert.Throws<NotFoundException>(() => SetAvatarHandler.Decide(null, new SetAvatar(Owner, FileId), UploadedAt));
    }

    [Fact]
    public void only_an_old_enough_unattached_file_is_discarded_once()
    {
        var later = UploadedAt.AddDays(2);
        var attached = new FileAttached(FileId, AttachmentKind.Avatar, Owner, null, Owner, UploadedAt);

        Assert.NotNull(DiscardFileHandler.Decide(File(FileTypes.Png), UploadedAt.AddHours(1), later));
        Assert.Null(DiscardFileHandler.Decide(File(FileTypes.Png), UploadedAt, later));
        Assert.Null(DiscardFileHandler.Decide(File(FileTypes.Png, attached), UploadedAt.AddHours(1), later));
        Assert.Null(DiscardFileHandler.Decide(File(FileTypes.Png, new FileDiscarded(FileId, "unattached", later)), UploadedAt.AddHours(1), later));
    }
}

public sealed class ArchiveFileDeciderTests
{
    private static readonly Guid Owner = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9c01");
    private static readonly Guid FileId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9d02");
    private static readonly DateTimeOffset UploadedAt = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void only_an_attached_old_enough_file_is_archived_once()
    {
        var file = new StoredFile();
        file.Apply(new FileUploaded(FileId, Owner, new string('a', 64), 10, FileTypes.Png, PersonalDataFixture.Seal(Owner, "x"), "k", UploadedAt));
        var command = new EventStore.Domain.Files.Archiving.ArchiveFile(FileId, UploadedAt.AddDays(1), "GLACIER");
        var now = UploadedAt.AddDays(2);

        Assert.Null(EventStore.Domain.Files.Archiving.ArchiveFileHandler.Decide(file, command, now)); // unattached
        file.Apply(new FileAttached(FileId, AttachmentKind.Avatar, Owner, null, Owner, UploadedAt));
        var archived = EventStore.Domain.Files.Archiving.ArchiveFileHandler.Decide(file, command, now);
        Assert.Equal("GLACIER", archived!.StorageClass);
        Assert.Null(EventStore.Domain.Files.Archiving.ArchiveFileHandler.Decide(file, command with { UploadedBefore = UploadedAt }, now));
        file.Apply(archived);
        Assert.Null(EventStore.Domain.Files.Archiving.ArchiveFileHandler.Decide(file, command, now));
    }
}
