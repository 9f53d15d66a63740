using EventStore.Api.Resilience;
using EventStore.Domain.Chat.Messages;
using EventStore.Domain.Community;
using EventStore.Domain.Files;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Files;

public static class FilesSetup
{
    public static IServiceCollection AddFiles(this IServiceCollection services)
    {
        services.AddOptions<FilesOptions>().BindConfiguration(FilesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IFileScanner, AcceptingScanner>();
        services.AddSingleton<IFileAudience, MessageAttachmentAudience>();
        services.AddSingleton<IFileAudience, AvatarAudience>();
        services.AddSingleton<IFileAudience, PostAttachmentAudience>();
        services.AddSingleton<FileVisibility>();
        services.AddSingleton<FileRequestGate>();
        services.AddSingleton<FileUploadEndpoint>();
        services.AddSingleton<FileDownloadEndpoint>();
        services.AddSingleton<FileSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<FileSweeper>());
        services.AddSingleton<IFileStore>(sp => sp.GetRequiredService<IOptions<FilesOptions>>().Value.Store == FileStoreKind.S3
            ? ActivatorUtilities.CreateInstance<S3FileStore>(sp, S3FileStore.CreateClient(sp.GetRequiredService<IOptions<FilesOptions>>().Value.S3))
            : ActivatorUtilities.CreateInstance<LocalFileStore>(sp));
        services.AddTransientRetryPipeline(ResiliencePipelines.S3, "S3",
            sp => S3Pipeline.Retry(sp.GetRequiredService<IOptions<FilesOptions>>().Value.S3));
        return services;
    }

    public static IEndpointRouteBuilder MapFiles(this IEndpointRouteBuilder app)
    {
        app.MapPost("/files", (HttpContext http, FileUploadEndpoint endpoint) => endpoint.HandleAsync(http));
        app.MapGet("/files/{id}", (HttpContext http, string id, FileDownloadEndpoint endpoint) => endpoint.HandleAsync(http, id));
        return app;
    }
}
