using EventStore.LocalPostgres;

namespace EventStore.IntegrationTests.Database;

/// <summary>
/// Where the embedded PostgreSQL keeps its data, with a probe standing in for "can the server's account enter this
/// folder" (pure: no file system, no server).
/// </summary>
public sealed class DataDirectoryPlacementTests
{
    private const string Fallback = "/var/lib/eventstore";

    private static readonly Func<string, bool> ClosedHome = folder => folder != "/root";
    private static readonly Func<string, bool> Open = _ => true;

    [Fact]
    public void the_default_folder_is_used_when_the_server_runs_as_the_same_user()
    {
        var placement = DataDirectoryPlacement.Choose(null, "/root/app/.data/postgres", Fallback, account: null, ClosedHome);

        Assert.Equal("/root/app/.data/postgres", placement.FullPath);
        Assert.Null(placement.InsteadOf);
    }

    [Fact]
    public void the_default_folder_is_used_when_the_postgres_account_can_reach_it()
    {
        var placement = DataDirectoryPlacement.Choose(null, "/work/app/.data/postgres", Fallback, "postgres", Open);

        Assert.Equal("/work/app/.data/postgres", placement.FullPath);
        Assert.Null(placement.InsteadOf);
    }

    [Fact]
    public void an_unreachable_default_folder_moves_to_a_stable_folder_under_the_fallback_root()
    {
        var first = DataDirectoryPlacement.Choose(null, "/root/app/.data/postgres", Fallback, "postgres", ClosedHome);
        var again = DataDirectoryPlacement.Choose(null, "/root/app/.data/postgres", Fallback, "postgres", ClosedHome);
        var otherCheckout = DataDirectoryPlacement.Choose(null, "/root/other/.data/postgres", Fallback, "postgres", ClosedHome);

        Assert.StartsWith(Fallback + "/postgres-", first.FullPath, StringComparison.Ordinal);
        Assert.Equal("/root/app/.data/postgres", first.InsteadOf);
        Assert.Equal("/root", first.BlockedFolder);
        Assert.Equal(first, again);
        Assert.NotEqual(first.FullPath, otherCheckout.FullPath);
    }

    [Fact]
    public void the_blocked_folder_reported_is_the_highest_one()
    {
        Func<string, bool> probe = folder => folder is not ("/srv/closed" or "/srv/closed/inner");

        Assert.Equal("/srv/closed", DataDirectoryPlacement.FirstBlockedFolder("/srv/closed/inner/app/data", probe));
        Assert.Null(DataDirectoryPlacement.FirstBlockedFolder("/srv/open/app/data", probe));
    }

    [Fact]
    public void an_unreachable_configured_folder_stops_with_a_message_naming_the_setting_and_the_folder()
    {
        var error = Assert.Throws<LocalPostgresException>(() =>
            DataDirectoryPlacement.Choose("/root/mine/pg", "/work/app/.data/postgres", Fallback, "postgres", ClosedHome));

        Assert.Contains("EmbeddedPostgres:DataDirectory", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot enter /root ", error.Message, StringComparison.Ordinal);
        Assert.Contains("/root/mine/pg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_configured_folder_is_used_as_given_when_reachable()
    {
        var placement = DataDirectoryPlacement.Choose("/srv/pg", "/root/app/.data/postgres", Fallback, "postgres", ClosedHome);

        Assert.Equal("/srv/pg", placement.FullPath);
        Assert.Null(placement.InsteadOf);
    }

    [Fact]
    public void an_unreachable_fallback_root_stops_with_a_message_naming_both_folders()
    {
        Func<string, bool> nothingReachable = folder => folder is not ("/root" or "/var/lib");

        var error = Assert.Throws<LocalPostgresException>(() =>
            DataDirectoryPlacement.Choose(null, "/root/app/.data/postgres", Fallback, "postgres", nothingReachable));

        Assert.Contains("/root/app/.data/postgres", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot enter /var/lib ", error.Message, StringComparison.Ordinal);
    }
}
