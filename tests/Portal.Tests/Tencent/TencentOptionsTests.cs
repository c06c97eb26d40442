using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Portal.Packages;
using Portal.Tencent;

namespace Portal.Tests.Tencent;

public sealed class TencentOptionsTests : IDisposable
{
    private const string Secret = "s3cr3t-never-echoed";
    private readonly string _directory = Directory.CreateTempSubdirectory("tencent-options-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Apps_bind_from_configuration_with_their_kinds_and_groups()
    {
        var options = Bind(new()
        {
            ["Tencent:ConnectTimeout"] = "00:00:05",
            ["Tencent:Apps:0:Name"] = "Tokens SH",
            ["Tencent:Apps:0:Region"] = "Shanghai",
            ["Tencent:Apps:0:AccessId"] = "1500012345",
            ["Tencent:Apps:0:SecretKey"] = Secret,
            ["Tencent:Apps:0:PackageKinds:0"] = "token",
            ["Tencent:Apps:0:AllowedGroups:0"] = "marketing-cn",
        });

        var app = Assert.Single(options.Apps);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.Equal(new Uri("https://api.tpns.sh.tencent.com/"), app.ResolveBaseUrl());
        Assert.Equal([PackageKind.Token], app.PackageKinds);
        Assert.Equal(["marketing-cn"], app.AllowedGroups);
        Assert.Same(app, options.FindApp("Tokens SH"));
    }

    [Theory]
    [InlineData(TencentRegion.Guangzhou, "https://api.tpns.tencent.com/")]
    [InlineData(TencentRegion.Shanghai, "https://api.tpns.sh.tencent.com/")]
    [InlineData(TencentRegion.HongKong, "https://api.tpns.hk.tencent.com/")]
    [InlineData(TencentRegion.Singapore, "https://api.tpns.sgp.tencent.com/")]
    public void Each_region_is_its_documented_access_point(TencentRegion region, string baseUrl) =>
        Assert.Equal(new Uri(baseUrl), new TencentAppOptions { Region = region }.ResolveBaseUrl());

    [Theory]
    [InlineData("https://push-proxy.example.com/tpns", "https://push-proxy.example.com/tpns/v3/push/package/upload")]
    [InlineData("https://push-proxy.example.com/tpns/", "https://push-proxy.example.com/tpns/v3/push/package/upload")]
    [InlineData("http://127.0.0.1:5090", "http://127.0.0.1:5090/v3/push/package/upload")]
    public void A_custom_base_url_keeps_its_path(string baseUrl, string uploadUrl)
    {
        var app = new TencentAppOptions { Region = TencentRegion.Custom, BaseUrl = new Uri(baseUrl) };

        Assert.Equal(new Uri(uploadUrl), new Uri(app.ResolveBaseUrl(), TencentPushClient.UploadPath));
    }

    [Fact]
    public void An_app_without_groups_is_for_every_uploader_and_one_with_groups_for_their_members()
    {
        var options = new TencentOptions
        {
            Apps =
            [
                new TencentAppOptions { Name = "Everyone" },
                new TencentAppOptions { Name = "China team", AllowedGroups = ["marketing-cn", "owners"] },
            ],
        };

        Assert.Equal(["Everyone"], options.AppsAvailableTo(["marketing"]).Select(a => a.Name));
        Assert.Equal(["Everyone", "China team"], options.AppsAvailableTo(["marketing", "marketing-cn"]).Select(a => a.Name));
        Assert.Equal(["Everyone"], options.AppsAvailableTo(["Marketing-CN"]).Select(a => a.Name));
        Assert.False(options.Apps[1].IsAvailableTo([]));
    }

    [Fact]
    public void An_app_without_package_kinds_takes_every_kind()
    {
        Assert.True(new TencentAppOptions().Accepts(PackageKind.Token));
        Assert.True(new TencentAppOptions { PackageKinds = [PackageKind.Account] }.Accepts(PackageKind.Account));
        Assert.False(new TencentAppOptions { PackageKinds = [PackageKind.Account] }.Accepts(PackageKind.Token));
    }

    [Fact]
    public void Every_missing_or_wrong_setting_is_named_by_its_key()
    {
        var failures = Validate(new()
        {
            ["Tencent:ConnectTimeout"] = "00:00:00",
            ["Tencent:ConnectAttempts"] = "0",
            ["Tencent:IdleTimeout"] = "-00:00:01",
            ["Tencent:Apps:0:Region"] = "Custom",
            ["Tencent:Apps:0:SecretKey"] = Secret,
            ["Tencent:Apps:0:AllowedGroups:0"] = " ",
            ["Tencent:Apps:1:Name"] = "Campaigns",
            ["Tencent:Apps:1:AccessId"] = "1500012345",
            ["Tencent:Apps:1:Region"] = "Custom",
            ["Tencent:Apps:1:BaseUrl"] = "ftp://files.example.com/",
            ["Tencent:Apps:2:Name"] = "Campaigns",
            ["Tencent:Apps:2:AccessId"] = "1500012346",
            ["Tencent:Apps:2:SecretKey"] = Secret,
            ["Tencent:Apps:2:BaseUrl"] = "https://api.tpns.tencent.com/",
        });

        Assert.Equal(
            [
                "Tencent:ConnectTimeout must be positive.",
                "Tencent:IdleTimeout must be positive.",
                "Tencent:ConnectAttempts must be between 1 and 10.",
                "Tencent:Apps:0:Name is required.",
                "Tencent:Apps:0:AccessId is required.",
                "Tencent:Apps:0:BaseUrl is required when Region is Custom.",
                "Tencent:Apps:0:AllowedGroups:0 must not be empty.",
                "Tencent:Apps:1:Name 'Campaigns' is used by more than one app.",
                "Tencent:Apps:1:SecretKey is required (set the environment variable Tencent__Apps__1__SecretKey or a user secret).",
                "Tencent:Apps:1:BaseUrl must be an absolute http(s) URL without user, query or fragment.",
                "Tencent:Apps:2:Name 'Campaigns' is used by more than one app.",
                "Tencent:Apps:2:BaseUrl is only used when Region is Custom; remove it or set Tencent:Apps:2:Region to Custom.",
            ],
            failures);
    }

    [Theory]
    [InlineData("Production", true)]
    [InlineData("Staging", true)]
    [InlineData("Development", false)]
    public void A_secret_key_written_in_appsettings_is_refused_outside_development(string environment, bool refused)
    {
        var file = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(file, $$"""{ "Tencent": { "Apps": [ { "Name": "Campaigns", "AccessId": "1500012345", "SecretKey": "{{Secret}}" } ] } }""");
        var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();

        var failures = Validate(configuration, environment);

        Assert.Equal(
            refused ? ["Tencent:Apps:0:SecretKey must not be written in appsettings.json: set the environment variable Tencent__Apps__0__SecretKey or use a secret store."] : [],
            failures);
    }

    [Fact]
    public void A_secret_key_from_the_environment_is_accepted_and_never_echoed()
    {
        var file = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(file, """{ "Tencent": { "Apps": [ { "Name": "Campaigns", "AccessId": "1500012345", "Region": "Custom" } ] } }""");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(file)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Tencent:Apps:0:SecretKey"] = Secret })
            .Build();

        var failures = Validate(configuration, "Production");

        Assert.Equal(["Tencent:Apps:0:BaseUrl is required when Region is Custom."], failures);
        Assert.All(failures, failure => Assert.DoesNotContain(Secret, failure, StringComparison.Ordinal));
    }

    private static TencentOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(TencentOptions.SectionName).Get<TencentOptions>()!;

    private static List<string> Validate(Dictionary<string, string?> settings) =>
        Validate(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), "Production");

    private static List<string> Validate(IConfigurationRoot configuration, string environment)
    {
        var options = configuration.GetSection(TencentOptions.SectionName).Get<TencentOptions>() ?? new TencentOptions();
        IHostEnvironment host = new HostingEnvironment { EnvironmentName = environment };
        var result = new TencentOptionsValidator(configuration, host).Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }
}
