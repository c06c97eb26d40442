using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Packages;

namespace Portal.Uploads;

/// <summary>A package copied to local disk, with what was measured while copying it.</summary>
public sealed record StagedFile(Guid Id, string Path, long Size, string Sha256);

/// <summary>
/// Keeps received packages on disk so they can be validated, sent and (later) retried without asking the user again.
/// Bytes are hashed while they are copied; nothing holds a whole package in memory.
/// </summary>
public sealed class StagingStore(IOptions<StorageOptions> options)
{
    private const int BufferSize = 128 * 1024;

    public string PathOf(Guid id) => Path.Combine(options.Value.StagingDirectory, $"{id:N}.bin");

    /// <summary>The clean package the validator writes beside the original.</summary>
    public string CleanPathOf(Guid id) => Path.Combine(options.Value.StagingDirectory, $"{id:N}.clean");

    /// <summary>The full problem report (CSV) the validator writes beside the original.</summary>
    public string ProblemReportPathOf(Guid id) => Path.Combine(options.Value.StagingDirectory, $"{id:N}.problems.csv");

    /// <summary>Staged files older than <paramref name="cutoff"/>, by upload id.</summary>
    public IEnumerable<Guid> StagedBefore(DateTime cutoff) =>
        new DirectoryInfo(options.Value.StagingDirectory).EnumerateFiles("*.bin")
            .Where(file => file.LastWriteTimeUtc < cutoff && Guid.TryParseExact(Path.GetFileNameWithoutExtension(file.Name), "N", out _))
            .Select(file => Guid.ParseExact(Path.GetFileNameWithoutExtension(file.Name), "N"));

    /// <summary>Removes every staged file of an upload; the audit record keeps its hashes.</summary>
    public void Delete(Guid id)
    {
        File.Delete(PathOf(id));
        File.Delete(CleanPathOf(id));
        File.Delete(ProblemReportPathOf(id));
    }

    /// <summary>Copies <paramref name="body"/> to a new staged file; null when it is larger than Tencent accepts (nothing is kept then).</summary>
    public async Task<StagedFile?> StageAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var id = Guid.NewGuid();
        var path = PathOf(id);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        var buffer = new byte[BufferSize];
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > PackageRules.MaxPackageBytes)
                    {
                        break;
                    }

                    sha256.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            if (size > PackageRules.MaxPackageBytes)
            {
                File.Delete(path);
                return null;
            }

            return new StagedFile(id, path, size, Convert.ToHexStringLower(sha256.GetHashAndReset()));
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
