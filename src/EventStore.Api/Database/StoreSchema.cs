namespace EventStore.Api.Database;

/// <summary>The PostgreSQL schema that holds the event store, its documents and the app's own tables.</summary>
public static class StoreSchema
{
    public const string Name = "eventstore";
}
