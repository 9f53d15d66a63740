using System.Globalization;

namespace EventStore.Api.Files;

/// <summary>The error bodies of the file endpoints: <c>{"error": {"code", "message"}}</c>, never a stack trace.</summary>
public static class FileErrors
{
    public static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);

    public static IResult NotFound() => Error(StatusCodes.Status404NotFound, "NOT_FOUND", "File not found.");

    public static IResult TooLarge(long limit) => Error(StatusCodes.Status413PayloadTooLarge, "FILE_TOO_LARGE",
        string.Create(CultureInfo.InvariantCulture, $"The file exceeds {limit} bytes."));

    public static IResult RefusedType() => Error(StatusCodes.Status415UnsupportedMediaType, "FILE_TYPE_REFUSED",
        "Allowed: PNG, JPEG, GIF, WebP, PDF and plain UTF-8 text.");
}
