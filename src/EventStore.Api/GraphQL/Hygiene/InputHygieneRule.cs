using System.Collections;
using System.Text.Json;
using EventStore.Api.GraphQL.Errors;
using EventStore.Domain.Validation;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace EventStore.Api.GraphQL.Hygiene;

/// <summary>
/// Holds every string of a request's inputs to <see cref="TextHygiene"/> while the document is validated, so that a
/// refusal is VALIDATION (with the input path in `extensions.field`) before any resolver runs: arguments and input object
/// fields, at any depth and in lists, given inline or as variables (variable defaults included), and the keys of variable
/// objects. The rule of each position is the one its argument or input field declares (<see cref="TextInputs"/>), else
/// <see cref="TextRule.Default"/>. Only the operation that runs is checked.
/// </summary>
public sealed class InputHygieneRule : ValidationRuleBase
{
    /// <summary>Enough to show a client every bad field of a form, not a list of thousands.</summary>
    public const int MaxErrors = 20;

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) => new(new Visitor());

    private sealed class Visitor : INodeVisitor
    {
        private readonly List<object> _responsePath = [];
        private bool _skipped;
        private bool _inFragment;
        private int _reported;

        public ValueTask EnterAsync(ASTNode node, ValidationContext context)
        {
            switch (node)
            {
                case GraphQLOperationDefinition operation:
                    _skipped = context.Operation is not null && operation != context.Operation;
                    _inFragment = false;
                    _responsePath.Clear();
                    break;
                case GraphQLFragmentDefinition:
                    _skipped = false;
                    _inFragment = true;
                    _responsePath.Clear();
                    break;
                case GraphQLField field:
                    _responsePath.Add((field.Alias?.Name ?? field.Name).StringValue);
                    if (!_skipped)
                    {
                        CheckArguments(field, context);
                    }

                    break;
            }

            return default;
        }

        public ValueTask LeaveAsync(ASTNode node, ValidationContext context)
        {
            if (node is GraphQLField && _responsePath.Count > 0)
            {
                _responsePath.RemoveAt(_responsePath.Count - 1);
            }

            return default;
        }

        private void CheckArguments(GraphQLField field, ValidationContext context)
        {
            if (field.Arguments is not { Count: > 0 } arguments || context.TypeInfo.GetFieldDef() is not { } definition)
            {
                return;
            }

            foreach (var argument in arguments)
            {
                var name = argument.Name.StringValue;
                var declared = definition.Arguments?.Find(name);
                Literal(context, argument, argument.Value, declared?.ResolvedType, TextInputs.TextRuleOf(declared), name);
            }
        }

        private void Literal(ValidationContext context, ASTNode at, GraphQLValue value, IGraphType? type, TextRule rule, string path)
        {
            switch (value)
            {
                case GraphQLStringValue text:
                    Check(context, value, (string)text.Value, rule, path);
                    break;
                case GraphQLListValue { Values: { } items }:
                    for (var i = 0; i < items.Count; i++)
                    {
                        Literal(context, items[i], items[i], ItemType(type), rule, $"{path}[{i}]");
                    }

                    break;
                case GraphQLObjectValue { Fields: { } fields }:
                    var input = Unwrap(type) as IInputObjectGraphType;
                    foreach (var field in fields)
                    {
                        var name = field.Name.StringValue;
                        var declared = input?.GetField(name);
                        Literal(context, field, field.Value, declared?.ResolvedType, TextInputs.TextRuleOf(declared), $"{path}.{name}");
                    }

                    break;
                case GraphQLVariable variable:
                    var key = variable.Name.StringValue;
                    if (context.Variables is { } variables && variables.TryGetValue(key, out var raw))
                    {
                        Raw(context, at, raw, type, rule, path);
                    }
                    else if (context.Operation?.Variables?.FirstOrDefault(v => v.Variable.Name.StringValue == key)?.DefaultValue is { } fallback)
                    {
                        Literal(context, at, fallback, type, rule, path);
                    }

                    break;
            }
        }

        /// <summary>A variable's value as the transport parsed it from JSON: dictionaries, lists, strings, numbers.</summary>
        private void Raw(ValidationContext context, ASTNode at, object? value, IGraphType? type, TextRule rule, string path)
        {
            switch (value)
            {
                case null:
                    break;
                case string text:
                    Check(context, at, text, rule, path);
                    break;
                case JsonElement element:
                    Raw(context, at, Plain(element), type, rule, path);
                    break;
                case IEnumerable<KeyValuePair<string, object?>> fields:
                    var input = Unwrap(type) as IInputObjectGraphType;
                    foreach (var (name, inner) in fields)
                    {
                        // A key is a string the client chose too: one GraphQL refuses as unknown is still echoed in its error.
                        Check(context, at, name, TextRule.Default, $"{path}.<key>");
                        var declared = input?.GetField(name);
                        Raw(context, at, inner, declared?.ResolvedType, TextInputs.TextRuleOf(declared), $"{path}.{name}");
                    }

                    break;
                case IEnumerable items:
                    var i = 0;
                    foreach (var item in items)
                    {
                        Raw(context, at, item, ItemType(type), rule, $"{path}[{i++}]");
                    }

                    break;
            }
        }

        private void Check(ValidationContext context, ASTNode at, string text, TextRule rule, string path)
        {
            if (_reported >= MaxErrors || TextHygiene.Check(text, rule) is not { } violation)
            {
                return;
            }

            _reported++;
            context.ReportError(new InputHygieneError(context, at, path, violation)
            {
                Path = _inFragment ? null : [.. _responsePath],
            });
        }

        private static IGraphType? Unwrap(IGraphType? type) => type is NonNullGraphType nonNull ? nonNull.ResolvedType : type;

        /// <summary>The item type of a list position; a single value given for a list is coerced to one item.</summary>
        private static IGraphType? ItemType(IGraphType? type) => Unwrap(type) is ListGraphType list ? list.ResolvedType : type;

        private static object? Plain(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Object => element.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)).ToList(),
            JsonValueKind.Array => element.EnumerateArray().Select(e => (object?)e).ToList(),
            _ => null,
        };
    }
}

/// <summary>A string of the request's inputs broke the input rule: VALIDATION, `field` = its input path, `reason`.</summary>
public sealed class InputHygieneError : ValidationError
{
    public InputHygieneError(ValidationContext context, ASTNode node, string field, TextViolation violation)
        : base(context.Document.Source, null, violation.Describe(field), node)
    {
        Code = ErrorCodes.Validation;
        Field = field;
        Reason = violation.Reason;
    }

    public string Field { get; }

    public string Reason { get; }
}
