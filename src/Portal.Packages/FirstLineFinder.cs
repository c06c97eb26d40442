using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Portal.Packages;

/// <summary>
/// The second pass, for a report that lists duplicates: <see cref="AccountSet"/> keeps hashes only, so the line each listed
/// duplicate first appeared on is found by reading the rows again, with the same scanner and so exactly as the first pass
/// read them, and noting the first line each listed hash turns up on.
/// </summary>
/// <remarks>
/// Nothing is reported or written in this pass. It stops as soon as every first line is found, which is at the latest at the
/// last listed duplicate itself: it costs next to nothing when the first duplicates come early in the file, and at most
/// one more read of it when they come late. It runs only on text the first pass has read already.
/// </remarks>
internal readonly struct FirstLineFinder : IRowSink
{
    // Hash → the line it first appeared on; 0 until found (lines count from 1).
    private readonly Dictionary<ulong, long> _firstLines;

    private FirstLineFinder(Dictionary<ulong, long> firstLines) => _firstLines = firstLines;

    /// <summary>Every first line is found. Asked once per buffer, of at most <see cref="PackageRules.MaxListedDuplicates"/> entries.</summary>
    public bool Satisfied => !_firstLines.ContainsValue(0);

    /// <summary>Reads the data file again from <paramref name="openData"/> and returns the first line of each of <paramref name="hashes"/>.</summary>
    public static IReadOnlyDictionary<ulong, long> Find(IEnumerable<ulong> hashes, ValidationRequest request, string dataName, Func<Stream> openData, CancellationToken cancellationToken)
    {
        var firstLines = hashes.Distinct().ToDictionary(hash => hash, _ => 0L);
        if (firstLines.Count == 0)
        {
            return firstLines;
        }

        using (var data = openData())
        {
            var text = TextSource.Open(data);
            new RowScanner<FirstLineFinder>(request, dataName, text.Converted, new FirstLineFinder(firstLines)).Run(text.Bytes, expectedBytes: 0, cancellationToken);
        }

        return firstLines.ContainsValue(0)
            ? throw new InvalidOperationException($"'{dataName}' read again is not what was validated: a duplicate's first occurrence is missing.")
            : firstLines;
    }

    public void Account(ReadOnlySpan<byte> account, ulong hash, bool allDigits, long line)
    {
        ref var firstLine = ref CollectionsMarshal.GetValueRefOrNullRef(_firstLines, hash);
        if (!Unsafe.IsNullRef(ref firstLine) && firstLine == 0)
        {
            firstLine = line;
        }
    }

    public void Expect(long bytesScanned, long expectedBytes)
    {
    }

    public void Problem(long line, ProblemReason reason, ReadOnlySpan<byte> value, long detail)
    {
    }

    public void Diverge()
    {
    }

    public void NotUtf8(string encodingName, string message)
    {
    }

    public void Delimiter(string delimiter, PackageWarning warning)
    {
    }
}
