using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Wolverine.Configuration;
using Wolverine.Runtime.Handlers;

namespace EventStore.Domain.Validation;

/// <summary>
/// Runs a message's FluentValidation validator before its handler (no WolverineFx.FluentValidation package is served
/// here, so this is the small equivalent). A failure throws <see cref="ValidationException"/> before anything is
/// loaded or appended.
/// </summary>
public sealed class FluentValidationPolicy : IHandlerPolicy
{
    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var validator = typeof(IValidator<>).MakeGenericType(chain.MessageType);
            if (!container.RegistrationsFor(validator).Any())
            {
                continue;
            }

            var method = typeof(FluentValidationMiddleware).GetMethod(nameof(FluentValidationMiddleware.ValidateAsync))!
                .MakeGenericMethod(chain.MessageType);
            chain.Middleware.Insert(0, new MethodCall(typeof(FluentValidationMiddleware), method));
        }
    }
}

public static class FluentValidationMiddleware
{
    public static async Task ValidateAsync<T>(IValidator<T> validator, T message, CancellationToken cancellation)
    {
        var result = await validator.ValidateAsync(message, cancellation);
        if (!result.IsValid)
        {
            throw new ValidationException(result.Errors);
        }
    }
}
