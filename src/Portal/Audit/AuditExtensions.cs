using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Audit;

public static class AuditExtensions
{
    private const int MinimumKeyBytes = 32;

    public static void AddAuditTrail(this WebApplicationBuilder builder)
    {
        var production = builder.Environment.IsProduction();
        var shared = string.Equals(builder.Configuration["Storage:Provider"], nameof(StorageProvider.PostgreSql), StringComparison.OrdinalIgnoreCase);
        builder.Services.AddOptions<AuditOptions>()
            .Bind(builder.Configuration.GetSection(AuditOptions.SectionName))
            .Validate(options => !production || !string.IsNullOrEmpty(options.ChainKey),
                $"Audit:ChainKey is required in Production: a base64 key of at least {MinimumKeyBytes} bytes from a secret store (environment variable Audit__ChainKey).")
            .Validate(options => !shared || !string.IsNullOrEmpty(options.ChainKey),
                "Audit:ChainKey is required with Storage:Provider PostgreSql: every replica must link the chain with the same key (environment variable Audit__ChainKey, from `openssl rand -base64 32`).")
            .Validate(options => string.IsNullOrEmpty(options.ChainKey) || IsValidKey(options.ChainKey),
                $"Audit:ChainKey is set but is not base64 of at least {MinimumKeyBytes} bytes; make one with `openssl rand -base64 32`.")
            .Validate(options => options.StagedFileRetention > TimeSpan.Zero, "Audit:StagedFileRetention must be positive.")
            .Validate(options => options.PurgeInterval > TimeSpan.Zero, "Audit:PurgeInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new AuditChain(() => ChainKey(services)));
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<AuditSearch>();
        builder.Services.AddSingleton<ActivitySearch>();
        builder.Services.AddSingleton<EventSentences>();
        builder.Services.AddSingleton<AppActivity>();
        builder.Services.AddSingleton<AuditIntegrity>();
        builder.Services.AddSingleton<IntegrityCheck>();
    }

    private static bool IsValidKey(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var length) && length >= MinimumKeyBytes;
    }

    /// <summary>
    /// The configured key; outside Production without one, a random key made once and kept, encrypted by ASP.NET
    /// Data Protection, beside the data-protection keys — never in the database it protects.
    /// </summary>
    private static byte[] ChainKey(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<AuditOptions>>().Value.ChainKey;
        if (!string.IsNullOrEmpty(configured))
        {
            return Convert.FromBase64String(configured);
        }

        var protector = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Portal.Audit.ChainKey");
        var keyFile = Path.Combine(services.GetRequiredService<IOptions<StorageOptions>>().Value.KeysDirectory, "audit-chain.key");
        if (File.Exists(keyFile))
        {
            return protector.Unprotect(File.ReadAllBytes(keyFile));
        }

        var key = RandomNumberGenerator.GetBytes(MinimumKeyBytes);
        Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
        File.WriteAllBytes(keyFile, protector.Protect(key));
        return key;
    }
}
