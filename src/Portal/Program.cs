using Portal;

var builder = WebApplication.CreateBuilder(args);
try
{
    builder.AddPortal();
    var app = builder.Build();
    // Every configuration check, before anything is created on disk or a port opens, and before the host would log
    // its own failure with stack traces.
    app.ValidateConfiguration();
    app.UsePortal();
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (PortalApplication.ConfigurationFailures(exception) is { } failures)
{
    return PortalApplication.RefuseToStart(failures, Console.Error);
}

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
