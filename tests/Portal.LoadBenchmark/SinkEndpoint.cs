using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Portal.LoadBenchmark;

/// <summary>
/// <c>POST /bench/sink</c>, in the benchmark's host only: reads the body and throws it away, answering its length. What
/// moving the bytes through the same Kestrel costs, to set the portal's upload-to-report time against.
/// </summary>
internal sealed class SinkEndpoint : IStartupFilter
{
    public const string Path = "/bench/sink";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.MapWhen(context => HttpMethods.IsPost(context.Request.Method) && context.Request.Path == Path, sink => sink.Run(DiscardAsync));
        next(app);
    };

    private static async Task DiscardAsync(HttpContext context)
    {
        // Kestrel's default body limit (30 MB) is below a package's, as it is for the upload endpoint.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var buffer = new byte[64 * 1024];
        long length = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            length += read;
        }

        await context.Response.WriteAsync(length.ToString(CultureInfo.InvariantCulture), context.RequestAborted);
    }
}
