namespace EventStore.Projections.Search;

/// <summary>
/// One searchable thing, the same for every backend: what it is (<see cref="Type"/> and <see cref="Id"/>), the text
/// to match (<see cref="Title"/> ranks above <see cref="Body"/>), and who may find it (<see cref="Readers"/>, see
/// <see cref="SearchReaders"/>). Built from the log only, so a rebuild gives the same documents.
/// </summary>
public sealed record SearchDocument(
    string Type, Guid Id, string Title, string Body, IReadOnlyList<string> Readers, DateTimeOffset UpdatedAt)
{
    /// <summary>The idempotent document id in every backend: the same thing is always the same document.</summary>
    public string Key => KeyOf(Type, Id);

    /// <summary>
    /// Title and body plus their words split at punctuation ("search.alice" also as "search" and "alice"), so a prefix of
    /// any part of a dotted or dashed name matches. The PostgreSQL index and the Elasticsearch `terms` field use it.
    /// </summary>
    public string Terms => SearchText.Split(Title + " " + Body);

    public static string KeyOf(string type, Guid id) => $"{type}:{id:D}";
}

/// <summary>The document types (docs/search.md, "Who finds what").</summary>
public static class SearchTypes
{
    public const string Message = "MESSAGE";
    public const string User = "USER";
    public const string Instrument = "INSTRUMENT";
    public const string Order = "ORDER";
    public const string Post = "POST";
    public const string Comment = "COMMENT";

    public static readonly IReadOnlyList<string> All = [Message, User, Instrument, Order, Post, Comment];
}

/// <summary>
/// Visibility keys. A document lists who may find it; a caller holds keys (<c>public</c>, <c>user:&lt;id&gt;</c>,
/// <c>role:&lt;role&gt;</c>, <c>room:&lt;id&gt;</c> per room they are a member of); a hit needs one key in common. Enforced inside the query of
/// every backend, so paging and counts never see what the caller may not.
/// </summary>
public static class SearchReaders
{
    /// <summary>Every logged-in user.</summary>
    public const string Public = "public";

    public static string User(Guid id) => $"user:{id:D}";

    public static string Role(string role) => $"role:{role}";

    public static string Room(Guid id) => $"room:{id:D}";
}

public static class SearchText
{
    public static string Split(string text) =>
        string.Join(' ', System.Text.RegularExpressions.Regex.Split(text, @"[^\p{L}\p{N}]+").Where(w => w.Length > 0));
}
