namespace Portal.Packages;

/// <summary>
/// Where <see cref="RowScanner{TRows}"/> hands what it finds, in file order: each valid account, each problem row, and the
/// few things it learns about the text as a whole on the way.
/// </summary>
internal interface IRowSink
{
    /// <summary>True once no more rows are wanted: the scanner stops before its next read.</summary>
    bool Satisfied { get; }

    /// <summary>After the first buffer: this many bytes held the rows so far, of about <c>expectedBytes</c> in all.</summary>
    void Expect(long bytesScanned, long expectedBytes);

    /// <summary>A valid account on <c>line</c>; <c>hash</c> is its <see cref="AccountSet.Hash"/>.</summary>
    void Account(ReadOnlySpan<byte> account, ulong hash, bool allDigits, long line);

    /// <summary>A row the clean package leaves out or changes, so from here on it is no longer the original.</summary>
    void Problem(long line, ProblemReason reason, ReadOnlySpan<byte> value, long detail);

    /// <summary>A row the clean package holds differently (a CR line end, an unquoted, trimmed or converted value).</summary>
    void Diverge();

    /// <summary>At its first non-ASCII row, the text turned out to be in this encoding, not UTF-8.</summary>
    void NotUtf8(string encodingName, string message);

    /// <summary>A CSV looks separated by <c>delimiter</c> rather than commas.</summary>
    void Delimiter(string delimiter, PackageWarning warning);
}
