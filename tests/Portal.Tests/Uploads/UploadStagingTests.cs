using System.Net;
using System.Threading.Channels;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portal.Packages;
using Portal.Testing;
using Portal.Tests.TestHost;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>
/// Bodies that declare no length (sent chunked) at <c>POST /api/uploads</c>, on Kestrel over loopback: one past 100 MB
/// is refused, and a refused or broken body leaves nothing in <c>data/staging</c> and no record. One portal per test, so
/// "nothing in staging" means exactly that.
/// </summary>
public sealed class UploadStagingTests : IDisposable
{
    private readonly FinishedUploads _finished = new();
    private readonly PortalFactory _factory;

    public UploadStagingTests() =>
        _factory = new PortalFactory(new Dictionary<string, string?>(), configureWebHost: host => host.ConfigureServices(services => services.AddSingleton<IStartupFilter>(_finished)));

    public void Dispose() => _factory.Dispose();

    private string StagingDirectory => Path.Combine(_factory.DataDirectory, "staging");

    /// <summary>Staged packages (the validator's reports, written while the bytes arrive, lie beside them).</summary>
    private int StagedPackages() => Directory.GetFiles(StagingDirectory, "*.bin").Length;

    [Fact]
    public async Task A_chunked_body_one_byte_over_100_MB_is_refused_with_413_and_nothing_stays_in_staging()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");
        int? partialFiles = null;
        var body = new UndeclaredLengthStream(PackageRules.MaxPackageBytes + 1)
        {
            // Half-way through, the portal is staging it: far more has left than socket buffers can hold.
            OnRead = read => partialFiles ??= read > PackageRules.MaxPackageBytes / 2 ? StagedPackages() : null,
        };

        using var response = await BrowserSession.PostPackageAsync(client, token, "huge.txt", new StreamContent(body));
        var request = await _finished.NextAsync();

        Assert.Equal((null, "chunked"), (request.ContentLength, request.TransferEncoding));
        // Which limit answers is not pinned: Kestrel counts chunk-size lines towards the body limit the endpoint sets
        // (100 MB + 1), so over HTTP/1.1 it stops a chunked body before staging's own cut-off is reached. That cut-off
        // is pinned on its own in StagingStoreTests.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(1, partialFiles);
        Assert.Empty(Directory.GetFileSystemEntries(StagingDirectory));
        Assert.Equal(0, await CountUploadsAsync());
    }

    [Fact]
    public async Task A_body_that_breaks_half_way_leaves_nothing_in_staging_and_the_portal_keeps_answering()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");
        var partialFiles = 0;
        var body = new UndeclaredLengthStream(50 << 20, failAt: 4 << 20, beforeFailing: async () =>
        {
            // Break only once the portal is staging this body (the wait is bounded only so that a fault cannot hang the run).
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while ((partialFiles = StagedPackages()) == 0 && !guard.IsCancellationRequested)
            {
                await Task.Delay(10, CancellationToken.None);
            }
        });

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => BrowserSession.PostPackageAsync(client, token, "broken.txt", new StreamContent(body)));
        await _finished.NextAsync();

        Assert.Equal(UndeclaredLengthStream.FailureMessage, Assert.IsType<IOException>(failure.InnerException).Message);
        Assert.Equal(1, partialFiles);
        Assert.Empty(Directory.GetFileSystemEntries(StagingDirectory));
        Assert.Equal(0, await CountUploadsAsync());

        using var health = await client.GetAsync("/health/live");
        using var next = await BrowserSession.PostPackageAsync(client, token, "next.txt", "alice\nbob\n");
        await _finished.NextAsync();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (health.StatusCode, await health.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, await CountUploadsAsync());
    }

    private async Task<long> CountUploadsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Mode=ReadOnly");
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM uploads");
    }

    /// <summary>What an upload request declared, seen once the portal has finished with it.</summary>
    private sealed record FinishedUpload(long? ContentLength, string TransferEncoding);

    /// <summary>
    /// Outermost middleware: reports each upload request when the portal has finished with it, failed or not, so a
    /// test can look at the staging folder after the server is done, not merely after the client gave up.
    /// </summary>
    [Fact]
    public async Task A_text_package_is_checked_while_it_arrives_not_after()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");
        var transferId = Guid.NewGuid();
        var board = _factory.Services.GetRequiredService<TransferBoard>();
        TransferStatus? halfWay = null;
        var body = new PausingStream(new AccountStream(16 << 20), pauseAt: 8 << 20, whilePaused: async () =>
        {
            // Half the body is staged: wait until the check has read some of it, with the transfer still under way.
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (board.Find(transferId, "dev-mia") is not { BytesChecked: > 0 } status && !guard.IsCancellationRequested)
            {
                await Task.Delay(10, CancellationToken.None);
            }

            halfWay = board.Find(transferId, "dev-mia");
        });
        var request = Portal.Testing.PackageUpload.Request(token, "live.txt", new StreamContent(body));
        request.RequestUri = new Uri($"{request.RequestUri}&transfer={transferId}", UriKind.Relative);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(halfWay);
        Assert.Equal(TransferPhase.Receiving, halfWay.Phase);
        Assert.InRange(halfWay.BytesChecked, 1, 8 << 20);
        Assert.Null(board.Find(transferId, "dev-mia"));
    }

    /// <summary>A body that stops once at a position and runs something before it goes on.</summary>
    private sealed class PausingStream(Stream inner, long pauseAt, Func<Task> whilePaused) : Stream
    {
        private long _position;
        private bool _paused;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_paused && _position >= pauseAt)
            {
                _paused = true;
                await whilePaused();
            }

            var read = inner.Read(buffer.Span[..(int)Math.Min(buffer.Length, _paused ? buffer.Length : pauseAt - _position)]);
            _position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("spoof\u202Eexe.txt", "U+202E")]
    [InlineData("list\r\n.txt", "U+000D")]
    [InlineData("folder/list.txt", "'/'")]
    public async Task A_file_name_that_would_read_or_arrive_differently_is_refused_before_anything_is_staged(string fileName, string named)
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");

        using var response = await BrowserSession.PostPackageAsync(client, token, fileName, "alice\nbob\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_factory.DataDirectory, "staging")));
    }

    private sealed class FinishedUploads : IStartupFilter
    {
        private readonly Channel<FinishedUpload> _finished = Channel.CreateUnbounded<FinishedUpload>();

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                try
                {
                    await nextMiddleware(context);
                }
                finally
                {
                    if (context.Request.Path.StartsWithSegments(UploadEndpoints.Route))
                    {
                        _finished.Writer.TryWrite(new FinishedUpload(context.Request.ContentLength, context.Request.Headers.TransferEncoding.ToString()));
                    }
                }
            });
            next(app);
        };

        /// <summary>The next finished upload request; the bound only keeps a fault from hanging the run.</summary>
        public async Task<FinishedUpload> NextAsync() => await _finished.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(2));
    }
}
