using Microsoft.Extensions.Options;

namespace Portal.Tencent;

/// <summary>
/// Checks the Tencent apps at start-up; messages name the configuration key, never a secret's value. Outside
/// Development a SecretKey written in a configuration file (appsettings*.json) is refused: it belongs in an environment
/// variable or a secret store.
/// </summary>
public sealed class TencentOptionsValidator(IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<TencentOptions>
{
    public ValidateOptionsResult Validate(string? name, TencentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        // The binder drops an app whose Region or PackageKinds it cannot read, silently: check the written values first.
        var written = configuration.GetSection($"{TencentOptions.SectionName}:Apps").GetChildren().ToList();
        failures.AddRange(written.SelectMany(UnreadableValues));
        if (written.Count == 0)
        {
            failures.Add("Tencent:Apps must list at least one Tencent Push app.");
        }

        RequirePositive(failures, "ConnectTimeout", options.ConnectTimeout);
        RequirePositive(failures, "ConnectRetryDelay", options.ConnectRetryDelay);
        RequirePositive(failures, "UploadTimeout", options.UploadTimeout);
        RequirePositive(failures, "IdleTimeout", options.IdleTimeout);
        RequirePositive(failures, "RateLimitBackoff", options.RateLimitBackoff);
        if (options.ConnectAttempts is < 1 or > 10)
        {
            failures.Add("Tencent:ConnectAttempts must be between 1 and 10.");
        }

        for (var i = 0; i < options.Apps.Count; i++)
        {
            ValidateApp(failures, options, i);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void ValidateApp(List<string> failures, TencentOptions options, int index)
    {
        var app = options.Apps[index];
        var key = $"Tencent:Apps:{index}";
        if (string.IsNullOrWhiteSpace(app.Name))
        {
            failures.Add($"{key}:Name is required.");
        }
        else if (options.Apps.Count(a => a.Name == app.Name) > 1)
        {
            failures.Add($"{key}:Name '{app.Name}' is used by more than one app.");
        }

        if (string.IsNullOrWhiteSpace(app.AccessId))
        {
            failures.Add($"{key}:AccessId is required.");
        }

        if (string.IsNullOrWhiteSpace(app.SecretKey))
        {
            failures.Add(app.Region == TencentRegion.Simulator
                ? $"{key}:Region is Simulator, but DevStack:TencentSimulator has no app with AccessId '{app.AccessId}' (is the simulator enabled?)."
                : $"{key}:SecretKey is required (set the environment variable Tencent__Apps__{index}__SecretKey or a user secret).");
        }
        else if (ConfigurationFileHolding($"{key}:SecretKey") is { } file)
        {
            failures.Add($"{key}:SecretKey must not be written in {file}: set the environment variable Tencent__Apps__{index}__SecretKey or use a secret store.");
        }

        switch (app.Region)
        {
            case TencentRegion.Custom or TencentRegion.Simulator when app.BaseUrl is null:
                failures.Add($"{key}:BaseUrl is required when Region is {app.Region}.");
                break;
            case TencentRegion.Custom when !IsPlainHttpBase(app.BaseUrl!):
                failures.Add($"{key}:BaseUrl must be an absolute http(s) URL without user, query or fragment.");
                break;
            case TencentRegion.Guangzhou or TencentRegion.Shanghai or TencentRegion.HongKong or TencentRegion.Singapore when app.BaseUrl is not null:
                failures.Add($"{key}:BaseUrl is only used when Region is Custom; remove it or set {key}:Region to Custom.");
                break;
        }

        for (var g = 0; g < app.AllowedGroups.Count; g++)
        {
            if (string.IsNullOrWhiteSpace(app.AllowedGroups[g]))
            {
                failures.Add($"{key}:AllowedGroups:{g} must not be empty.");
            }
        }
    }

    /// <summary>A Region or package kind that is not one of the names the portal knows (names only: numbers are not accepted).</summary>
    private static IEnumerable<string> UnreadableValues(IConfigurationSection app)
    {
        if (app["Region"] is { } region && !IsName<TencentRegion>(region))
        {
            yield return $"{app.Path}:Region '{region}' is not a region; use one of {string.Join(", ", Enum.GetNames<TencentRegion>())}.";
        }

        foreach (var kind in app.GetSection("PackageKinds").GetChildren().Where(kind => !IsName<Packages.PackageKind>(kind.Value)))
        {
            yield return $"{kind.Path} '{kind.Value}' is not a package kind; use {string.Join(" or ", Enum.GetNames<Packages.PackageKind>())}.";
        }
    }

    private static bool IsName<TEnum>(string? value)
        where TEnum : struct, Enum =>
        Enum.GetNames<TEnum>().Contains(value?.Trim(), StringComparer.OrdinalIgnoreCase);

    private static void RequirePositive(List<string> failures, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"Tencent:{setting} must be positive.");
        }
    }

    private static bool IsPlainHttpBase(Uri uri) =>
        uri.IsAbsoluteUri
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.UserInfo)
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment);

    /// <summary>The configuration file (e.g. appsettings.json) that sets <paramref name="key"/>, outside Development.</summary>
    private string? ConfigurationFileHolding(string key)
    {
        if (environment.IsDevelopment() || configuration is not IConfigurationRoot root)
        {
            return null;
        }

        return root.Providers
            .OfType<FileConfigurationProvider>()
            .FirstOrDefault(provider => provider.TryGet(key, out var value) && !string.IsNullOrEmpty(value))
            ?.Source.Path;
    }
}
