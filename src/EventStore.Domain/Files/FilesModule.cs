using StoreOptions = Marten.StoreOptions;

namespace EventStore.Domain.Files;

public static class FilesModule
{
    public static StoreOptions ConfigureFiles(this StoreOptions options)
    {
        options.Events.AddEventTypes([typeof(FileUploaded), typeof(FileAttached), typeof(FileDiscarded), typeof(FileArchived)]);
        return options;
    }
}
