using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Wolverine.Configuration;
using Wolverine.Runtime.Handlers;

namespace EventStore.Domain.Validation;

/// <summary>
/// Defense in depth behind the GraphQL edge: every message of ours that a handler takes, from any source (a GraphQL
/// resolver, the market-data pump, the assistant runner, a cascaded message, Kafka), has its strings held to
/// <see cref="TextHygiene"/> before anything else runs, FluentValidation included. A failure throws
/// <see cref="ValidationException"/> (VALIDATION at the API) before anything is loaded or appended.
/// </summary>
public sealed class TextHygienePolicy : IHandlerPolicy
{
    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => MessageTexts.IsOurs(c.MessageType) && MessageTexts.HasText(c.MessageType)))
        {
            var method = typeof(TextHygieneMiddleware).GetMethod(nameof(TextHygieneMiddleware.Check))!
                .MakeGenericMethod(chain.MessageType);
            chain.Middleware.Insert(0, new MethodCall(typeof(TextHygieneMiddleware), method));
        }
    }
}

public static class TextHygieneMiddleware
{
    public static void Check<T>(T message) where T : notnull
    {
        if (MessageTexts.Check(message) is { Count: > 0 } failures)
        {
            throw new ValidationException(failures);
        }
    }
}
