using GraphQL;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using GraphQLParser.Visitors;

namespace EventStore.GraphQL.Transport.Requests;

/// <summary>
/// Parses a request's document before it is executed, for both transports. These become a VALIDATION error, like any
/// document error, instead of reaching the executer: a document the parser refuses for being too deep
/// (GraphQLMaxDepthExceededException, which the executer would report as INTERNAL); a number literal longer than
/// <see cref="GraphQLRequestReader.MaxNumberLength"/>; a string literal whose `\u` escapes leave a surrogate unpaired
/// (the GraphQL spec makes that a syntax error; GraphQL.NET's parser lets it through, and no database stores it).
/// A plain syntax error is left to the executer, which reports it the GraphQL way.
/// </summary>
public static class DocumentParser
{
    /// <summary>The document; null with a null <paramref name="refusal"/> for a syntax error.</summary>
    public static async ValueTask<(GraphQLDocument? Document, ExecutionError? Refusal)> ParseAsync(string query,
        ITransportErrorFactory errors, CancellationToken cancellationToken)
    {
        GraphQLDocument document;
        try
        {
            // Parser default: at most 128 nested nodes. Stack use stays small; no legitimate document comes close.
            document = Parser.Parse(query, new ParserOptions { Ignore = IgnoreOptions.Comments });
        }
        catch (GraphQLMaxDepthExceededException e)
        {
            return (null, Refuse(errors, "The document is nested too deeply.", e.Location));
        }
        catch (GraphQLSyntaxErrorException)
        {
            return (null, null);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException)
        {
            // GraphQL-Parser 9.5 fails this way while describing some syntax errors (a `\r` before the error), and the
            // executer would fail the same way: it is still the document that is wrong.
            return (null, errors.Create(TransportErrorCodes.Validation, "Syntax error: the document could not be parsed."));
        }

        var literals = new LiteralCheck(cancellationToken);
        await literals.VisitAsync(document, literals);
        return literals.Problem is { } problem
            ? (null, Refuse(errors, problem, Location.FromLinearPosition(query, literals.At.Start)))
            : (document, null);
    }

    private static ExecutionError Refuse(ITransportErrorFactory errors, string message, Location location)
    {
        var error = errors.Create(TransportErrorCodes.Validation, message);
        error.AddLocation(location);
        return error;
    }

    private sealed class LiteralCheck(CancellationToken cancellationToken) : ASTVisitor<LiteralCheck>, IASTVisitorContext
    {
        public CancellationToken CancellationToken => cancellationToken;

        public string? Problem { get; private set; }

        public GraphQLLocation At { get; private set; }

        protected override ValueTask VisitIntValueAsync(GraphQLIntValue intValue, LiteralCheck context) =>
            CheckNumber(intValue.Value.Length, intValue.Location);

        protected override ValueTask VisitFloatValueAsync(GraphQLFloatValue floatValue, LiteralCheck context) =>
            CheckNumber(floatValue.Value.Length, floatValue.Location);

        protected override ValueTask VisitStringValueAsync(GraphQLStringValue stringValue, LiteralCheck context)
        {
            if (HasUnpairedSurrogate(stringValue.Value.Span))
            {
                Report("Invalid Unicode escape sequence: a surrogate without its pair.", stringValue.Location);
            }

            return ValueTask.CompletedTask;
        }

        private ValueTask CheckNumber(int length, GraphQLLocation location)
        {
            if (length > GraphQLRequestReader.MaxNumberLength)
            {
                Report($"A number literal has more than {GraphQLRequestReader.MaxNumberLength} characters.", location);
            }

            return ValueTask.CompletedTask;
        }

        private void Report(string problem, GraphQLLocation location)
        {
            if (Problem is null)
            {
                Problem = problem;
                At = location;
            }
        }

        private static bool HasUnpairedSurrogate(ReadOnlySpan<char> text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(text[i]))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
