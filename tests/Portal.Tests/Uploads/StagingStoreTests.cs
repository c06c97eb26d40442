using System.Security.Cryptography;
using Portal.Packages;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>
/// Staging on its own: it enforces Tencent's 100 MB limit itself, for a body that declares no length, and leaves no
/// partial file behind when it refuses a body or the body breaks.
/// </summary>
public sealed class StagingStoreTests : IDisposable
{
    private readonly TestStorage _storage = TestStorage.CreateUnmigrated();
    private readonly StagingStore _staging;

    public StagingStoreTests() => _staging = new StagingStore(_storage.Options);

    public void Dispose() => _storage.Dispose();

    private string StagingDirectory => _storage.Options.Value.StagingDirectory;

    [Fact]
    public async Task A_body_of_undeclared_length_at_the_limit_is_staged_whole()
    {
        var body = new UndeclaredLengthStream(PackageRules.MaxPackageBytes);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var expected = new UndeclaredLengthStream(PackageRules.MaxPackageBytes);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await expected.ReadAsync(buffer)) > 0)
        {
            sha256.AppendData(buffer, 0, read);
        }

        var staged = await _staging.StageAsync(body, CancellationToken.None);

        Assert.NotNull(staged);
        Assert.Equal((PackageRules.MaxPackageBytes, Convert.ToHexStringLower(sha256.GetHashAndReset())), (staged.Size, staged.Sha256));
        Assert.Equal(PackageRules.MaxPackageBytes, new FileInfo(staged.Path).Length);
        Assert.Equal([staged.Path], Directory.GetFiles(StagingDirectory));
    }

    [Fact]
    public async Task A_body_of_undeclared_length_one_byte_over_the_limit_is_refused_and_nothing_is_kept()
    {
        int? partialFiles = null;
        var body = new UndeclaredLengthStream(PackageRules.MaxPackageBytes + 1)
        {
            // Half-way through, the partial file is there: what follows proves it is removed, not that it never existed.
            OnRead = read => partialFiles ??= read > PackageRules.MaxPackageBytes / 2 ? Directory.GetFiles(StagingDirectory).Length : null,
        };

        var staged = await _staging.StageAsync(body, CancellationToken.None);

        Assert.Null(staged);
        Assert.Equal(PackageRules.MaxPackageBytes + 1, body.BytesRead);
        Assert.Equal(1, partialFiles);
        Assert.Empty(Directory.GetFileSystemEntries(StagingDirectory));
    }

    [Fact]
    public async Task A_body_that_breaks_half_way_fails_staging_and_nothing_is_kept()
    {
        int? partialFiles = null;
        var body = new UndeclaredLengthStream(10 << 20, failAt: 3 << 20, beforeFailing: () =>
        {
            partialFiles = Directory.GetFiles(StagingDirectory).Length;
            return Task.CompletedTask;
        });

        var failure = await Assert.ThrowsAsync<IOException>(() => _staging.StageAsync(body, CancellationToken.None));

        Assert.Equal(UndeclaredLengthStream.FailureMessage, failure.Message);
        Assert.Equal(1, partialFiles);
        Assert.Empty(Directory.GetFileSystemEntries(StagingDirectory));
    }

    [Fact]
    public async Task A_body_whose_sender_leaves_half_way_is_cancelled_and_nothing_is_kept()
    {
        using var leaving = new CancellationTokenSource();
        var body = new UndeclaredLengthStream(10 << 20)
        {
            OnRead = read =>
            {
                if (read >= 3 << 20)
                {
                    leaving.Cancel();
                }
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _staging.StageAsync(body, leaving.Token));

        Assert.Empty(Directory.GetFileSystemEntries(StagingDirectory));
    }
}
