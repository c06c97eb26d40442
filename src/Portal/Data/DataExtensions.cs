using Microsoft.AspNetCore.DataProtection;

namespace Portal.Data;

public static class DataExtensions
{
    /// <summary>The data directory (resolved against the content root), the SQLite audit store and data-protection keys kept beside it.</summary>
    public static void AddPortalStorage(this WebApplicationBuilder builder)
    {
        var storage = new StorageOptions();
        builder.Configuration.GetSection(StorageOptions.SectionName).Bind(storage);
        var dataDirectory = storage.DataDirectory = Path.GetFullPath(storage.DataDirectory, builder.Environment.ContentRootPath);
        builder.Services.AddOptions<StorageOptions>()
            .Bind(builder.Configuration.GetSection(StorageOptions.SectionName))
            .PostConfigure(options => options.DataDirectory = dataDirectory)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<SqliteConnectionFactory>();
        builder.Services.AddSingleton<DatabaseMigrator>();
        // First of the hosted services: after the configuration checks, before anything else touches the data.
        builder.Services.AddHostedService<StoragePreparation>();
        builder.Services.AddSingleton(TimeProvider.System);

        // Keys survive restarts (sign-in cookies, antiforgery tokens) and live in the same volume as the database.
        builder.Services.AddDataProtection()
            .SetApplicationName("AccountPackagePortal")
            .PersistKeysToFileSystem(new DirectoryInfo(storage.KeysDirectory));
    }
}
