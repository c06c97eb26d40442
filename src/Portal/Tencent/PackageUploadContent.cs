using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Tencent;

/// <summary>
/// The upload body exactly as Tencent's samples and SDKs send it (Go SDK <c>CreateFormFile</c>): one multipart part named
/// <c>file</c>, filename = the package's base name, <c>application/octet-stream</c>, the file's bytes streamed from disk,
/// and a known Content-Length. Records how far it got, which decides whether a failed attempt may be sent again.
/// </summary>
/// <remarks>
/// A non-ASCII file name is sent as raw UTF-8 inside the quotes, as browsers (Tencent's own console), urllib3, OkHttp, Go
/// and curl do, and as RFC 7578 §4.2 asks; <c>filename*</c> is forbidden there and MIME encoded-words (what .NET's
/// <see cref="ContentDispositionHeaderValue"/> writes) reach a parser that does not decode them as
/// <c>=?utf-8?B?…?=</c>, which no longer ends in .csv. Quote, CR and LF are percent-encoded as browsers do.
/// </remarks>
internal sealed class PackageUploadContent : HttpContent
{
    private const string PartName = "file";
    private const int BufferSize = 64 * 1024;

    private readonly FileStream _file;
    private readonly Action<long> _progress;
    private readonly byte[] _head;
    private readonly byte[] _tail;

    /// <param name="file">The staged package, read from its start; not disposed with this content.</param>
    /// <param name="fileName">The package's name; directories are dropped.</param>
    /// <param name="progress">Told the package's bytes sent so far after every chunk the connection took, and once more when the body is complete.</param>
    public PackageUploadContent(FileStream file, string fileName, Action<long> progress)
    {
        _file = file;
        _progress = progress;
        var boundary = "TencentPushPortal" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data") { Parameters = { new NameValueHeaderValue("boundary", boundary) } };
        _head = Encoding.UTF8.GetBytes(
            $"--{boundary}\r\n"
            + $"Content-Disposition: form-data; name=\"{PartName}\"; filename=\"{QuotedFileName(fileName)}\"\r\n"
            + "Content-Type: application/octet-stream\r\n"
            + "\r\n");
        _tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
    }

    /// <summary>The body began to be written: a connection was open and the request headers went out.</summary>
    public bool Started { get; private set; }

    /// <summary>Bytes of the package (not of the multipart framing) the connection took.</summary>
    public long FileBytesSent { get; private set; }

    public long FileLength => _file.Length;

    /// <summary>The whole body, closing boundary included, was handed to the connection.</summary>
    public bool Completed { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Started = true;
        _file.Position = 0;
        await stream.WriteAsync(_head, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await _file.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                FileBytesSent += read;
                _progress(FileBytesSent);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await stream.WriteAsync(_tail, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        Completed = true;
        _progress(FileBytesSent);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = _head.Length + _file.Length + _tail.Length;
        return true;
    }

    /// <summary>The base name (what follows the last '/' or '\'), ready to go between quotes.</summary>
    private static string QuotedFileName(string fileName) =>
        fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..]
            .Replace("\"", "%22", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);
}
