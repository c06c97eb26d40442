using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Portal.Data;

public static class DataExtensions
{
    /// <summary>
    /// The data directory (resolved against the content root), the database (a SQLite file in it, or a shared PostgreSQL
    /// database) and the data-protection keys: beside the SQLite file, or in the shared database so that a cookie issued
    /// by one replica is read by every other.
    /// </summary>
    public static void AddPortalStorage(this WebApplicationBuilder builder)
    {
        var storage = new StorageOptions();
        builder.Configuration.GetSection(StorageOptions.SectionName).Bind(storage);
        var contentRoot = builder.Environment.ContentRootPath;
        var dataDirectory = storage.DataDirectory = Path.GetFullPath(storage.DataDirectory, contentRoot);
        var stagingDirectory = storage.StagingDirectory = Path.GetFullPath(storage.StagingDirectory, contentRoot);
        storage.ConnectionString = builder.Configuration.GetConnectionString("Portal");
        storage.MigrationConnectionString = builder.Configuration.GetConnectionString("PortalMigrations");
        var production = builder.Environment.IsProduction();
        var keyCertificate = LoadKeyCertificate(builder.Configuration.GetSection("DataProtection:Certificate"));
        builder.Services.AddOptions<StorageOptions>()
            .Bind(builder.Configuration.GetSection(StorageOptions.SectionName))
            .PostConfigure(options =>
            {
                options.DataDirectory = dataDirectory;
                options.StagingDirectory = stagingDirectory;
                options.ConnectionString = storage.ConnectionString;
                options.MigrationConnectionString = storage.MigrationConnectionString;
            })
            .ValidateDataAnnotations()
            .Validate(options => options.IsKnownProvider, "Storage:Provider must be Sqlite or PostgreSql.")
            .Validate(options => options.ProviderKind != StorageProvider.PostgreSql || !string.IsNullOrWhiteSpace(options.ConnectionString),
                "ConnectionStrings:Portal is required with Storage:Provider PostgreSql (environment variable ConnectionStrings__Portal).")
            .Validate(options => options.ProviderKind != StorageProvider.PostgreSql || IsConnectionStringOrAbsent(options.ConnectionString),
                "ConnectionStrings:Portal is not a PostgreSQL connection string; write it as Host=...;Port=5432;Database=...;Username=...;Password=... .")
            .Validate(options => options.ProviderKind != StorageProvider.PostgreSql || IsConnectionStringOrAbsent(options.MigrationConnectionString),
                "ConnectionStrings:PortalMigrations is not a PostgreSQL connection string; write it as Host=...;Port=5432;Database=...;Username=...;Password=... .")
            .Validate(options => !production || options.ProviderKind != StorageProvider.PostgreSql || keyCertificate is not null,
                "DataProtection:Certificate:Path is required in Production with Storage:Provider PostgreSql: the data-protection keys are kept in the shared database, encrypted with that certificate.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => PortalDatabase.Create(services.GetRequiredService<IOptions<StorageOptions>>().Value));
        builder.Services.AddSingleton<DatabaseMigrator>();
        // First of the hosted services: after the configuration checks, before anything else touches the data.
        builder.Services.AddHostedService<StoragePreparation>();
        builder.Services.AddSingleton(TimeProvider.System);

        // Keys survive restarts (sign-in cookies, antiforgery tokens): in the same volume as the SQLite file, or in the
        // database every replica shares.
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("AccountPackagePortal");
        if (storage.ProviderKind == StorageProvider.PostgreSql)
        {
            builder.Services.AddOptions<KeyManagementOptions>().Configure<PortalDatabase>((options, database) =>
                options.XmlRepository = new DatabaseKeyRepository((PostgreSqlDatabase)database));
        }
        else
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(storage.KeysDirectory));
        }

        if (keyCertificate is not null)
        {
            dataProtection.ProtectKeysWithCertificate(keyCertificate).UnprotectKeysWithAnyCertificate(keyCertificate);
        }
    }

    /// <summary>Whether Npgsql understands the text as a connection string; its own message would name the offending part, which may be a secret.</summary>
    private static bool IsConnectionStringOrAbsent(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return true;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The certificate (PKCS #12, with its private key) that encrypts the data-protection keys at rest; null when none is configured.</summary>
    private static X509Certificate2? LoadKeyCertificate(IConfigurationSection section)
    {
        var path = section["Path"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, section["Password"]);
            return certificate.HasPrivateKey ? certificate : throw new CryptographicException("it holds no private key");
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new OptionsValidationException("DataProtection:Certificate", typeof(X509Certificate2),
                [$"DataProtection:Certificate:Path '{path}' cannot be used to encrypt the data-protection keys: {exception.Message} (a PKCS #12 file with its private key, and DataProtection:Certificate:Password if it has one)."]);
        }
    }
}
