using Microsoft.Extensions.Options;

namespace EventStore.Api.Hosting;

/// <summary>`EventStore:NodeMode`: Solo (one process, the default) or Balanced (several nodes on one PostgreSQL).</summary>
public enum NodeMode
{
    Solo,
    Balanced,
}

/// <summary>`EventStore:ProjectionDistribution`: how several Balanced nodes share the projections (docs/architecture.md).</summary>
public enum ProjectionDistribution
{
    /// <summary>Marten's `DaemonMode.HotCold`: one PostgreSQL advisory lock per projection; the node that holds it runs it.</summary>
    HotCold,

    /// <summary>Wolverine's leader assigns each projection to a node (`UseWolverineManagedEventSubscriptionDistribution`).</summary>
    WolverineManaged,
}

/// <summary>
/// How this node takes part in a group of nodes, read once at start-up (the daemon and Wolverine's durability are
/// chosen while the host is being built). A wrong value stops the app with a message naming the setting.
/// </summary>
public sealed record NodeSettings(NodeMode Mode, ProjectionDistribution Distribution, bool RunProjections)
{
    public const string NodeModeKey = "EventStore:NodeMode";
    public const string DistributionKey = "EventStore:ProjectionDistribution";
    public const string RunProjectionsKey = "EventStore:RunProjections";

    /// <summary>The measured faster failover (docs/performance.md, "Projection failover between two nodes").</summary>
    public const ProjectionDistribution DefaultDistribution = ProjectionDistribution.HotCold;

    /// <summary>Several nodes share the projections, each run by exactly one of them.</summary>
    public bool Distributed => Mode == NodeMode.Balanced;

    /// <summary>This node starts Marten's daemon itself (Wolverine-managed distribution starts it through its agents).</summary>
    public bool StartsMartenDaemon => RunProjections && !(Distributed && Distribution == ProjectionDistribution.WolverineManaged);

    public static NodeSettings From(IConfiguration configuration)
    {
        var errors = new List<string>();
        var mode = Parse(configuration, NodeModeKey, NodeMode.Solo, errors);
        var distribution = Parse(configuration, DistributionKey, DefaultDistribution, errors);
        var runProjections = true;
        if (configuration[RunProjectionsKey] is { } run && !bool.TryParse(run, out runProjections))
        {
            errors.Add($"{RunProjectionsKey}: '{run}' is not true or false.");
        }

        if (mode == NodeMode.Solo && configuration[DistributionKey] is not null)
        {
            errors.Add($"{DistributionKey} applies only with {NodeModeKey}=Balanced (several nodes); a Solo node runs every projection itself.");
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException("EventStore", typeof(NodeSettings), errors);
        }

        return new NodeSettings(mode, distribution, runProjections);
    }

    private static T Parse<T>(IConfiguration configuration, string key, T fallback, List<string> errors)
        where T : struct, Enum
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        // Names only: Enum.TryParse would also take "1" or "7".
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsAsciiDigit(value.Trim()[0]))
        {
            return parsed;
        }

        errors.Add($"{key}: '{value}' is not one of {string.Join(", ", Enum.GetNames<T>())}.");
        return fallback;
    }
}
