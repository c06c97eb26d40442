using Portal.Tests.TestHost;

namespace Portal.Tests;

/// <summary>
/// The portal as an administrator starts it, as a process from its build output: a configuration it cannot run with
/// makes it exit with code 1 and say why, each problem once, without a stack trace, never echoing a secret, and
/// before it has created anything on disk.
/// </summary>
public sealed class StartupValidationTests
{
    private const string Secret = "s3cr3t-value-that-must-not-leak";

    [Fact]
    public async Task Production_without_sso_or_tencent_configuration_exits_with_code_1_naming_each_missing_key_once_and_creating_nothing()
    {
        var run = await PortalProcess.RunToExitAsync(new()
        {
            ["Oidc__Authority"] = "https://login.example.com/",
            ["Oidc__ClientId"] = "portal",
            ["Tencent__Apps__0__Name"] = "Campaigns",
            ["Tencent__Apps__0__AccessId"] = "1500012345",
        });

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("The portal did not start: its configuration needs attention.", run.ErrorLines[0]);
        foreach (var expected in new[]
        {
            "  - Oidc:ClientSecret is required",
            "  - Audit:ChainKey is required in Production",
            "  - Tencent:Apps:0:SecretKey is required",
            "  - Oidc:RoleMapping must map at least one identity-provider value",
        })
        {
            Assert.Single(run.ErrorLines, line => line.StartsWith(expected, StringComparison.Ordinal));
        }

        Assert.Equal(run.ErrorLines.Count, run.ErrorLines.Distinct().Count());
        Assert.DoesNotContain(run.ErrorLines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.False(Directory.Exists(run.DataDirectory), "The data directory was created before the configuration was valid.");
    }

    [Fact]
    public async Task Validation_messages_never_echo_a_secret()
    {
        var run = await PortalProcess.RunToExitAsync(new()
        {
            ["Oidc__Authority"] = "not a url",
            ["Oidc__ClientId"] = "portal",
            ["Oidc__ClientSecret"] = Secret,
            ["Tencent__Apps__0__Name"] = "Campaigns",
            ["Tencent__Apps__0__Region"] = "Custom",
            ["Tencent__Apps__0__AccessId"] = "1500012345",
            ["Tencent__Apps__0__SecretKey"] = Secret,
            ["Audit__ChainKey"] = Secret,
        });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.ErrorLines, line => line.StartsWith("  - Oidc:Authority", StringComparison.Ordinal));
        Assert.Contains(run.ErrorLines, line => line.StartsWith("  - Tencent:Apps:0:BaseUrl", StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_key_that_is_set_but_invalid_is_called_invalid_not_missing()
    {
        var run = await PortalProcess.RunToExitAsync(new() { ["Audit__ChainKey"] = "too-short" });

        Assert.Contains(run.ErrorLines, line => line.StartsWith("  - Audit:ChainKey is set but is not base64 of at least 32 bytes", StringComparison.Ordinal));
        Assert.DoesNotContain(run.ErrorLines, line => line.Contains("ChainKey is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_misspelt_region_or_package_kind_is_named_with_the_values_allowed_instead_of_dropping_the_app()
    {
        var run = await PortalProcess.RunToExitAsync(new()
        {
            ["Tencent__Apps__0__Name"] = "Campaigns",
            ["Tencent__Apps__0__Region"] = "HongKongg",
            ["Tencent__Apps__0__AccessId"] = "1500012345",
            ["Tencent__Apps__0__SecretKey"] = Secret,
            ["Tencent__Apps__0__PackageKinds__0"] = "Acount",
        });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("  - Tencent:Apps:0:Region 'HongKongg' is not a region; use one of Guangzhou, Shanghai, HongKong, Singapore, Custom, Simulator.", run.ErrorLines);
        Assert.Contains("  - Tencent:Apps:0:PackageKinds:0 'Acount' is not a package kind; use Account or Token.", run.ErrorLines);
        Assert.DoesNotContain(run.ErrorLines, line => line.Contains("must list at least one", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    public async Task A_plain_http_authority_is_refused_unless_https_metadata_is_explicitly_not_required(string? requireHttpsMetadata, bool refused)
    {
        var settings = new Dictionary<string, string?> { ["Oidc__Authority"] = "http://login.example.com/" };
        if (requireHttpsMetadata is not null)
        {
            settings["Oidc__RequireHttpsMetadata"] = requireHttpsMetadata;
        }

        var run = await PortalProcess.RunToExitAsync(settings);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(refused, run.ErrorLines.Any(line => line.StartsWith("  - Oidc:Authority uses http: the provider's keys and tokens must come over https.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PostgreSql_without_a_connection_string_or_a_shared_chain_key_is_refused_by_name()
    {
        var run = await PortalProcess.RunToExitAsync(new() { ["Storage__Provider"] = "PostgreSql" });

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.ErrorLines, line => line.StartsWith("  - ConnectionStrings:Portal is required with Storage:Provider PostgreSql", StringComparison.Ordinal));
        Assert.Single(run.ErrorLines, line => line.StartsWith("  - Audit:ChainKey is required with Storage:Provider PostgreSql", StringComparison.Ordinal));
        Assert.False(Directory.Exists(run.DataDirectory), "The data directory was created before the configuration was valid.");
    }

    [Fact]
    public async Task A_misspelt_provider_or_a_malformed_connection_string_is_named_without_echoing_the_password()
    {
        var misspelt = await PortalProcess.RunToExitAsync(new() { ["Storage__Provider"] = "Postgres" });
        var malformed = await PortalProcess.RunToExitAsync(new()
        {
            ["Storage__Provider"] = "PostgreSql",
            ["ConnectionStrings__Portal"] = $"Host=db;Database=portal;Username=portal;Pasword={Secret}",
            ["Audit__ChainKey"] = Convert.ToBase64String(new byte[32]),
        });

        Assert.Contains("  - Storage:Provider must be Sqlite or PostgreSql.", misspelt.ErrorLines);
        Assert.Equal(1, malformed.ExitCode);
        Assert.Single(malformed.ErrorLines, line => line.StartsWith("  - ConnectionStrings:Portal is not a PostgreSQL connection string", StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, malformed.Output + malformed.Error, StringComparison.Ordinal);
    }
}
