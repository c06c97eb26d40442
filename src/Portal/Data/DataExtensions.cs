using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

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
        builder.Services.AddSingleton(TimeProvider.System);

        // Keys survive restarts (sign-in cookies, antiforgery tokens) and live in the same volume as the database.
        builder.Services.AddDataProtection()
            .SetApplicationName("AccountPackagePortal")
            .PersistKeysToFileSystem(new DirectoryInfo(storage.KeysDirectory));
    }

    /// <summary>Creates the data folders and brings the database schema up to date before the portal takes requests.</summary>
    public static async Task PrepareStorageAsync(this WebApplication app)
    {
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        Directory.CreateDirectory(storage.DataDirectory);
        Directory.CreateDirectory(storage.StagingDirectory);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
    }
}
