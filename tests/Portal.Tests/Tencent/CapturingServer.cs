using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portal.Tests.Tencent;

/// <summary>
/// A one-request HTTP/1.1 server on 127.0.0.1 that keeps the request's raw bytes and answers with a canned response:
/// what the client put on the wire, unaltered by any server-side parser.
/// </summary>
internal sealed class CapturingServer : IAsyncDisposable
{
    private static readonly byte[] EndOfHeaders = "\r\n\r\n"u8.ToArray();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task<byte[]> _request;

    public CapturingServer(string response)
    {
        _listener.Start();
        _request = ServeOnceAsync(Encoding.UTF8.GetBytes(response));
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The request, headers and body, as received.</summary>
    public Task<byte[]> Request => _request;

    public static string Json(string body) =>
        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _request;
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Nobody connected.
        }
    }

    private async Task<byte[]> ServeOnceAsync(byte[] response)
    {
        using var client = await _listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        long? expected = null;
        while (expected is null || received.Length < expected)
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
            if (expected is null && received.GetBuffer().AsSpan(0, (int)received.Length).IndexOf(EndOfHeaders) is var end and >= 0)
            {
                expected = end + EndOfHeaders.Length + ContentLength(Encoding.UTF8.GetString(received.GetBuffer(), 0, end));
            }
        }

        await stream.WriteAsync(response);
        return received.ToArray();
    }

    private static long ContentLength(string headers) => headers.Split("\r\n")
        .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
        .Select(line => long.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
        .SingleOrDefault();
}
