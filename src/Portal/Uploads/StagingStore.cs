using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Packages;

namespace Portal.Uploads;

/// <summary>A package copied to local disk, with what was measured while copying it.</summary>
public sealed record StagedFile(Guid Id, string Path, long Size, string Sha256);

/// <summary>
/// Keeps received packages on disk so they can be validated, sent and (later) retried without asking the user again.
/// Bytes are hashed while they are copied, and can be read back while they are still arriving
/// (<see cref="StagingWrite.OpenRead"/>); nothing holds a whole package in memory.
/// </summary>
public sealed class StagingStore(IOptions<StorageOptions> options)
{
    private const int BufferSize = 128 * 1024;

    public string PathOf(Guid id) => Path.Combine(options.Value.StagingDirectory, $"{id:N}.bin");

    /// <summary>The clean package the validator writes beside the original.</summary>
    public string CleanPathOf(Guid id) => Path.Combine(options.Value.StagingDirectory, $"{id:N}.clean");

    /// <summary>The full problem report (CSV) the validator writes beside the original.</summary>
    public string ProblemReportPathOf(Guid id) => Path.Combine(options.Value.StagingDirectory, $"{id:N}.problems.csv");

    /// <summary>Where a re-check of upload <paramref name="id"/> writes, beside the files it may replace (<see cref="Replace"/>).</summary>
    public ValidationOutputs RecheckOutputsOf(Guid id)
    {
        var attempt = Guid.NewGuid().ToString("N");
        return new ValidationOutputs($"{CleanPathOf(id)}.{attempt}", $"{ProblemReportPathOf(id)}.{attempt}");
    }

    /// <summary>A re-check's clean package (or its absence) and problem report become the upload's own.</summary>
    public void Replace(Guid id, ValidationOutputs recheck)
    {
        ArgumentNullException.ThrowIfNull(recheck);
        if (File.Exists(recheck.CleanPackagePath))
        {
            File.Move(recheck.CleanPackagePath, CleanPathOf(id), overwrite: true);
        }
        else
        {
            File.Delete(CleanPathOf(id));
        }

        File.Move(recheck.ProblemReportPath, ProblemReportPathOf(id), overwrite: true);
    }

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
        using var write = Begin(Guid.NewGuid());
        var staged = await write.CopyAsync(body, cancellationToken);
        if (staged is not null)
        {
            write.Keep();
        }

        return staged;
    }

    /// <summary>Starts a staged file for upload <paramref name="id"/>; its bytes can be read back while they arrive.</summary>
    public StagingWrite Begin(Guid id) => new(id, PathOf(id), () => Delete(id));

    /// <summary>One staged file being written. Unless <see cref="Keep"/> was called, disposing it removes every file of the upload.</summary>
    public sealed class StagingWrite : IDisposable
    {
        private readonly string _path;
        private readonly Action _delete;
        // A monitor, not a Lock: readers wait on it (Monitor.Wait) for the next chunk.
        private readonly object _lock = new();
        private long _written;
        private bool _finished;
        private bool _kept;

        internal StagingWrite(Guid id, string path, Action delete)
        {
            Id = id;
            _path = path;
            _delete = delete;
        }

        public Guid Id { get; }

        /// <summary>Told the bytes written so far after each chunk.</summary>
        public event Action<long>? Progress;

        /// <summary>
        /// Copies the body to disk, hashing it; each chunk is on disk (no buffer of ours in between) before readers are told
        /// of it. Null when the body is larger than Tencent accepts, whatever length it declared; throws when the body
        /// breaks off.
        /// </summary>
        public async Task<StagedFile?> CopyAsync(Stream body, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(body);
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[BufferSize];
            long size = 0;
            try
            {
                await using (var file = new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0, useAsync: true))
                {
                    int read;
                    while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        size += read;
                        if (size > PackageRules.MaxPackageBytes)
                        {
                            return null;
                        }

                        sha256.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                        Advance(size);
                    }
                }

                return new StagedFile(Id, _path, size, Convert.ToHexStringLower(sha256.GetHashAndReset()));
            }
            finally
            {
                Finish();
            }
        }

        /// <summary>The upload is recorded: its files stay when this is disposed.</summary>
        public void Keep() => _kept = true;

        /// <summary>
        /// A reader of the staged bytes that, at the end of what has arrived so far, waits for more until the copy ends.
        /// Its reads block: it is for the validator, which runs on a thread of its own.
        /// </summary>
        public Stream OpenRead() => new GrowingFileStream(this);

        public void Dispose()
        {
            Finish();
            if (!_kept)
            {
                _delete();
            }
        }

        private void Advance(long written)
        {
            lock (_lock)
            {
                _written = written;
                Monitor.PulseAll(_lock);
            }

            Progress?.Invoke(written);
        }

        private void Finish()
        {
            lock (_lock)
            {
                _finished = true;
                Monitor.PulseAll(_lock);
            }
        }

        /// <summary>Waits until more than <paramref name="position"/> bytes are written, and returns how many are; at most <paramref name="position"/> when the copy ended there.</summary>
        private long WaitBeyond(long position)
        {
            lock (_lock)
            {
                while (_written <= position && !_finished)
                {
                    Monitor.Wait(_lock);
                }

                return _written;
            }
        }

        private sealed class GrowingFileStream(StagingWrite write) : ForwardReadStream
        {
            private readonly FileStream _file = new(write._path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            private long _position;

            public override int Read(Span<byte> buffer)
            {
                var written = buffer.IsEmpty ? 0 : write.WaitBeyond(_position);
                if (written <= _position)
                {
                    return 0;
                }

                var read = _file.Read(buffer[..(int)Math.Min(buffer.Length, written - _position)]);
                _position += read;
                return read;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _file.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
