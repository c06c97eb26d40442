namespace Portal.Packages;

/// <summary>
/// The content on its way into the validator: counts the bytes, reports progress at most every MiB and once at the end,
/// and stops past a limit with <see cref="PackageTooLargeException"/>, so that a stream that is not seekable, whose length
/// only its end tells, is never read further than the rules allow.
/// </summary>
internal sealed class ContentMeter(Stream inner, long limit, long? expectedBytes, IProgress<ValidationProgress>? progress) : ForwardReadStream
{
    private const long ProgressStep = 1 << 20;

    private long _reported;

    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        BytesRead += read;
        if (BytesRead > limit)
        {
            throw new PackageTooLargeException(BytesRead);
        }

        var atEnd = read == 0 && !buffer.IsEmpty;
        if (progress is not null && (BytesRead - _reported >= ProgressStep || (atEnd && BytesRead > _reported)))
        {
            _reported = BytesRead;
            progress.Report(new ValidationProgress(BytesRead, expectedBytes));
        }

        return read;
    }
}

/// <summary>Thrown by <see cref="ContentMeter"/> once more bytes than the limit have been read.</summary>
internal sealed class PackageTooLargeException(long bytesRead) : Exception("The package is larger than the limit.")
{
    public long BytesRead { get; } = bytesRead;
}
