using Portal;

var builder = WebApplication.CreateBuilder(args);
builder.AddPortal();
var app = builder.Build();
await app.UsePortalAsync();
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
