using Portal;

var builder = WebApplication.CreateBuilder(args);
try
{
    builder.AddPortal();
    var app = builder.Build();
    app.UsePortal();
    // The configuration checks run first when the host starts, before anything is created on disk or a port opens.
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (PortalApplication.ConfigurationFailures(exception) is { } failures)
{
    return PortalApplication.RefuseToStart(failures, Console.Error);
}

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
