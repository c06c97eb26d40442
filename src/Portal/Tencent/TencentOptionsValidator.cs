using Microsoft.Extensions.Options;

namespace Portal.Tencent;

/// <summary>Checks the Tencent apps at start-up; messages name the configuration key, never a secret's value.</summary>
public sealed class TencentOptionsValidator : IValidateOptions<TencentOptions>
{
    public ValidateOptionsResult Validate(string? name, TencentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Apps.Count == 0)
        {
            failures.Add("Tencent:Apps must list at least one Tencent Push app.");
        }

        if (options.UploadTimeout <= TimeSpan.Zero)
        {
            failures.Add("Tencent:UploadTimeout must be positive.");
        }

        for (var i = 0; i < options.Apps.Count; i++)
        {
            var app = options.Apps[i];
            var key = $"Tencent:Apps:{i}";
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
                    : $"{key}:SecretKey is required (set the environment variable Tencent__Apps__{i}__SecretKey or a user secret).");
            }

            if (app.Region is TencentRegion.Custom or TencentRegion.Simulator && app.BaseUrl is null)
            {
                failures.Add($"{key}:BaseUrl is required when Region is {app.Region}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
