namespace EventStore.Api.MarketData;

/// <summary>Section <c>MarketData</c>: which provider feeds quotes and how often the pump asks it.</summary>
public sealed class MarketDataOptions
{
    public const string SectionName = "MarketData";
    public const string Simulated = "simulated";
    public const string Http = "http";

    /// <summary><c>simulated</c> (default, offline) or <c>http</c> (a vendor, section <c>MarketData:Http</c>).</summary>
    public string Provider { get; set; } = Simulated;

    /// <summary>How often the pump asks the provider for every quoted symbol.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An unchanged quote is recorded again only once this much time has passed since it was last sent.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>False stops the timed loop; <see cref="MarketDataPump.PumpOnceAsync"/> still works (tests drive it).</summary>
    public bool Enabled { get; set; } = true;

    public bool UsesHttp => string.Equals(Provider, Http, StringComparison.OrdinalIgnoreCase);
}
