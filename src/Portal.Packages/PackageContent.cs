namespace Portal.Packages;

/// <summary>
/// A package's bytes, as the validator is to read them: once, front to back, from the content stream, as they come; and
/// where it needs the original a second time (the unchanged beginning of the clean package, and the lines where listed
/// duplicates first appeared), again from the first byte. The validator neither writes nor disposes the content stream,
/// and disposes each stream it opens again.
/// </summary>
public sealed class PackageContent
{
    private PackageContent(Stream stream, Func<Stream> openAgain, long? length, long? expectedLength)
    {
        Stream = stream;
        OpenAgain = openAgain;
        Length = length;
        ExpectedLength = expectedLength;
    }

    internal Stream Stream { get; }

    /// <summary>Opens the original again at its first byte.</summary>
    internal Func<Stream> OpenAgain { get; }

    /// <summary>The exact length, known beforehand only for a seekable stream: such a file over the limit is refused unread.</summary>
    internal long? Length { get; }

    /// <summary>About how many bytes will come, for sizing the duplicate table and for progress; never trusted for a verdict.</summary>
    internal long? ExpectedLength { get; }

    /// <summary>
    /// A seekable stream at its start: a file on disk, a fully staged upload. Any package can come so, and a .zip only so
    /// (its directory is at its end). Read again by seeking it, so nothing else may read or move it during the validation.
    /// </summary>
    public static PackageContent Seekable(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream cannot seek: a stream read as it arrives needs PackageContent.Arriving.", nameof(stream));
        }

        return new PackageContent(stream, () => new Rewound(stream), stream.Length, stream.Length);
    }

    /// <summary>
    /// A .txt or .csv package read as it arrives, from a stream that need not seek (a request body as it is received).
    /// <paramref name="openAgain"/> opens the original at its first byte; the validator calls it only for bytes it has
    /// already read from <paramref name="stream"/>, so a receiver that writes each chunk to a staged file before handing it
    /// on can open that file (with <see cref="FileShare.ReadWrite"/>: the receiver still has it open for writing).
    /// <paramref name="expectedLength"/> (say, the Content-Length; null when not known) is only a hint: whether the package
    /// is empty or too large is decided on the bytes actually read.
    /// </summary>
    public static PackageContent Arriving(Stream stream, Func<Stream> openAgain, long? expectedLength = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(openAgain);
        return new PackageContent(stream, openAgain, length: null, expectedLength);
    }

    /// <summary>A seekable stream read again from its start; its position goes back to where the first reading left it.</summary>
    private sealed class Rewound : ForwardReadStream
    {
        private readonly Stream _stream;
        private readonly long _resume;

        public Rewound(Stream stream)
        {
            _stream = stream;
            _resume = stream.Position;
            stream.Position = 0;
        }

        public override int Read(Span<byte> buffer) => _stream.Read(buffer);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _stream.Position = _resume;
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// How far a validation has read: <see cref="BytesRead"/> bytes of the content (of a zip, of its data file unpacked), of
/// about <see cref="ExpectedBytes"/> (the seekable stream's length, the arriving stream's expected length, or the size the
/// zip declares for its data file; null when not known).
/// </summary>
public readonly record struct ValidationProgress(long BytesRead, long? ExpectedBytes);
