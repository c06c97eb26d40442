namespace Portal.LoadBenchmark;

/// <summary>
/// Load benchmark: the whole portal (development identity provider, Tencent Push simulator, a fresh data directory) on
/// Kestrel at 127.0.0.1 in this process. Signs in uploaders and an auditor through the real OIDC flow, then has every
/// uploader post a 100 MB package at once and send it as soon as its report arrives, under an open-loop audit load;
/// samples the working set all along and for a while after; then times upload-to-report against the same bytes posted
/// to a sink endpoint of the same server. Prints its figures next to their targets; exits 1 when a package did not
/// reach the simulator exactly once (missed targets are figures, not failures).
/// <code>dotnet run -c Release --project tests/Portal.LoadBenchmark [-- --uploaders 8 --megabytes 100 --after 60 --repeats 5 --rate 20]</code>
/// </summary>
/// <remarks>An explicit entry point: top-level statements would declare a second <c>Program</c> beside the portal's, which the factory hosts.</remarks>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!LoadOptions.TryParse(args, out var options))
        {
            await Console.Error.WriteLineAsync(LoadOptions.Usage);
            return 2;
        }

        // The host factory finds the portal's content root in MvcTestingAppManifest.json, looked up in the current
        // directory: the output folder, as under a test runner (dotnet run starts in the repository).
        Environment.CurrentDirectory = AppContext.BaseDirectory;
        return await LoadRun.RunAsync(options);
    }
}
