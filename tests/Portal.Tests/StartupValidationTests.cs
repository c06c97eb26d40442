using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Portal.Tests;

public sealed class StartupValidationTests
{
    [Fact]
    public void Production_without_sso_or_tencent_configuration_refuses_to_start_and_names_the_missing_keys()
    {
        using var factory = new ProductionFactory(new Dictionary<string, string?>
        {
            ["Oidc:Authority"] = "https://login.example.com/",
            ["Oidc:ClientId"] = "portal",
            ["Tencent:Apps:0:Name"] = "Campaigns",
            ["Tencent:Apps:0:AccessId"] = "1500012345",
        });

        var failures = StartupFailures(factory);

        Assert.True(failures.Any(failure => failure.StartsWith("Oidc:ClientSecret is required", StringComparison.Ordinal)), string.Join("\n", failures));
        Assert.Contains(failures, failure => failure.StartsWith("Audit:ChainKey is required in Production", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Tencent:Apps:0:SecretKey is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_messages_never_echo_a_secret()
    {
        const string secret = "s3cr3t-value-that-must-not-leak";
        using var factory = new ProductionFactory(new Dictionary<string, string?>
        {
            ["Oidc:Authority"] = "not a url",
            ["Oidc:ClientId"] = "portal",
            ["Oidc:ClientSecret"] = secret,
            ["Tencent:Apps:0:Name"] = "Campaigns",
            ["Tencent:Apps:0:Region"] = "Custom",
            ["Tencent:Apps:0:AccessId"] = "1500012345",
            ["Tencent:Apps:0:SecretKey"] = secret,
        });

        var failures = StartupFailures(factory);

        Assert.Contains(failures, failure => failure.StartsWith("Oidc:Authority", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Tencent:Apps:0:BaseUrl", StringComparison.Ordinal));
        Assert.All(failures, failure => Assert.DoesNotContain(secret, failure, StringComparison.Ordinal));
    }

    /// <summary>Every options-validation message the host gave when it refused to start.</summary>
    private static List<string> StartupFailures(WebApplicationFactory<Program> factory)
    {
        var exception = Assert.ThrowsAny<Exception>(() => factory.Server);
        var validationErrors = exception is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [exception];
        return validationErrors.OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
    }

    private sealed class ProductionFactory(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        private readonly string _dataDirectory = Directory.CreateTempSubdirectory("portal-prod-").FullName;

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            // The factory disposes through both Dispose and DisposeAsync, so this runs twice.
            if (Directory.Exists(_dataDirectory))
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Storage:DataDirectory", _dataDirectory);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
