using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using FluentValidation.Results;

namespace EventStore.Domain.Validation;

/// <summary>
/// Finds every string a message carries (its properties, those of nested records of ours, and the items of lists of
/// either) and holds each to <see cref="TextHygiene"/> under the rule its property declares
/// (<see cref="TextRuleAttribute"/>), or <see cref="TextRule.Default"/>. What to read is worked out once per type.
/// </summary>
public static class MessageTexts
{
    private const int MaxDepth = 8;

    private static readonly ConcurrentDictionary<Type, TextMember[]> Members = new();

    /// <summary>Our own types (the EventStore.* assemblies) are walked; framework types and primitives are not.</summary>
    public static bool IsOurs(Type type) =>
        type is { IsClass: true } && type != typeof(string)
        && type.Assembly.GetName().Name?.StartsWith("EventStore.", StringComparison.Ordinal) == true;

    /// <summary>True when a message of this type carries any string at all.</summary>
    public static bool HasText(Type type) => MembersOf(type).Length > 0;

    /// <summary>One failure per offending string, named by its property path (`Tools[0].ResultSummary`).</summary>
    public static IReadOnlyList<ValidationFailure> Check(object message)
    {
        var failures = new List<ValidationFailure>();
        Visit(message, "", failures, 0);
        return failures;
    }

    public static IReadOnlyList<(string Path, TextRule Rule)> Describe(Type type) =>
        [.. MembersOf(type).SelectMany(m => m.Kind switch
        {
            MemberKind.Text or MemberKind.TextList => [(m.Name, m.Rule)],
            _ => Describe(m.ItemType!).Select(inner => ($"{m.Name}.{inner.Path}", inner.Rule)),
        })];

    private static void Visit(object message, string prefix, List<ValidationFailure> failures, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        foreach (var member in MembersOf(message.GetType()))
        {
            var value = member.Property.GetValue(message);
            var path = prefix + member.Name;
            switch (member.Kind, value)
            {
                case (MemberKind.Text, string text):
                    CheckOne(text, path, member.Rule, failures);
                    break;
                case (MemberKind.TextList, IEnumerable items):
                    var i = 0;
                    foreach (var item in items)
                    {
                        if (item is string text)
                        {
                            CheckOne(text, $"{path}[{i}]", member.Rule, failures);
                        }

                        i++;
                    }

                    break;
                case (MemberKind.Nested, { } nested):
                    Visit(nested, path + ".", failures, depth + 1);
                    break;
                case (MemberKind.NestedList, IEnumerable items):
                    var j = 0;
                    foreach (var item in items)
                    {
                        if (item is not null)
                        {
                            Visit(item, $"{path}[{j}].", failures, depth + 1);
                        }

                        j++;
                    }

                    break;
            }
        }
    }

    private static void CheckOne(string text, string path, TextRule rule, List<ValidationFailure> failures)
    {
        if (TextHygiene.Check(text, rule) is { } violation)
        {
            failures.Add(new ValidationFailure(path, violation.Describe(path)) { ErrorCode = violation.Reason });
        }
    }

    private static TextMember[] MembersOf(Type type) => Members.GetOrAdd(type, static t => Analyze(t, []));

    private static TextMember[] Analyze(Type type, HashSet<Type> seen)
    {
        if (!seen.Add(type))
        {
            return []; // a type that contains itself: its strings are found at the outer level
        }

        // Declared on a record's positional parameter, an attribute lands on the constructor parameter, not the property.
        var parameters = type.GetConstructors().SelectMany(c => c.GetParameters())
            .Where(p => p.GetCustomAttribute<TextRuleAttribute>() is not null)
            .GroupBy(p => p.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().GetCustomAttribute<TextRuleAttribute>()!.Rule, StringComparer.Ordinal);
        var members = new List<TextMember>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var rule = property.GetCustomAttribute<TextRuleAttribute>()?.Rule
                ?? (parameters.TryGetValue(property.Name, out var declared) ? declared : TextRule.Default);
            var kind = KindOf(property.PropertyType, out var itemType);
            if (kind is MemberKind.Nested or MemberKind.NestedList && Analyze(itemType!, [.. seen]).Length == 0)
            {
                continue;
            }

            if (kind is not null)
            {
                members.Add(new TextMember(property.Name, property, kind.Value, rule, itemType));
            }
        }

        return [.. members];
    }

    private static MemberKind? KindOf(Type type, out Type? itemType)
    {
        itemType = null;
        if (type == typeof(string))
        {
            return MemberKind.Text;
        }

        if (IsOurs(type))
        {
            itemType = type;
            return MemberKind.Nested;
        }

        var element = type.IsArray
            ? type.GetElementType()
            : type.GetInterfaces().Append(type)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        if (element == typeof(string))
        {
            return MemberKind.TextList;
        }

        if (element is not null && IsOurs(element))
        {
            itemType = element;
            return MemberKind.NestedList;
        }

        return null;
    }

    private enum MemberKind
    {
        Text,
        TextList,
        Nested,
        NestedList,
    }

    private sealed record TextMember(string Name, PropertyInfo Property, MemberKind Kind, TextRule Rule, Type? ItemType);
}
