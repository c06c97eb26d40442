using Portal.DevStack;

// The Tencent Push package-upload simulator on its own, for people testing scripts against it:
//   dotnet run --project src/Portal.TencentSimulator -- --urls http://127.0.0.1:5090
// Apps come from the TencentSimulator section (appsettings.json, environment variables TencentSimulator__Apps__0__SecretKey, …,
// or the command line --TencentSimulator:Apps:0:SecretKey=…).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddStandaloneTencentSimulator();
var app = builder.Build();
app.MapStandaloneTencentSimulator();
await app.RunAsync();
