using FluentValidation.Results;

namespace EventStore.UnitTests;

internal static class ValidationAssertions
{
    public static void ShouldPass(this ValidationResult result) => Assert.Empty(result.Errors);

    /// <summary>Exactly one failure, on the given property, from the given rule (rules stop at their first failing check).</summary>
    public static void ShouldFailWith(this ValidationResult result, string propertyName, string errorCode)
    {
        var failure = Assert.Single(result.Errors);
        Assert.Equal(propertyName, failure.PropertyName);
        Assert.Equal(errorCode, failure.ErrorCode);
    }

    /// <summary>Exactly one failure per listed property and none elsewhere.</summary>
    public static void ShouldFailOn(this ValidationResult result, params string[] propertyNames) =>
        Assert.Equal(
            propertyNames.Order(StringComparer.Ordinal),
            result.Errors.Select(e => e.PropertyName).Order(StringComparer.Ordinal));
}
