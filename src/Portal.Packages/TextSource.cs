using System.Text;

namespace Portal.Packages;

/// <summary>
/// Recognises a data file's encoding from its first bytes and hands on its text as UTF-8 bytes (or, for an
/// ASCII-compatible file that may still turn out to be GB18030, as they are: see <see cref="RowScanner{TRows}"/>).
/// </summary>
internal sealed class TextSource
{
    private const int SniffBytes = 4096;

    private TextSource(Stream bytes, string encodingName, bool converted, bool byteOrderMark)
    {
        Bytes = bytes;
        EncodingName = encodingName;
        Converted = converted;
        HadUtf8ByteOrderMark = byteOrderMark;
    }

    /// <summary>UTF-8 bytes without a byte order mark (raw bytes when not <see cref="Converted"/>).</summary>
    public Stream Bytes { get; }

    public string EncodingName { get; }

    /// <summary>The file is UTF-16 or UTF-32: <see cref="Bytes"/> is its conversion, with invalid sequences as U+FFFD.</summary>
    public bool Converted { get; }

    public bool HadUtf8ByteOrderMark { get; }

    public static TextSource Open(Stream raw)
    {
        var head = new byte[SniffBytes];
        var length = raw.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, length);
        var (name, encoding, skip) = Detect(bytes);
        Stream text = new PrefixedStream(head.AsMemory(skip, length - skip), raw);
        if (encoding is not null)
        {
            // Replacement (not exception) fallback: the scanner reports rows holding U+FFFD with their line number.
            text = Encoding.CreateTranscodingStream(text, encoding, Encoding.UTF8);
        }

        return new TextSource(text, name, encoding is not null, name == Utf8WithBom);
    }

    public const string Utf8 = "UTF-8";

    public const string Utf8WithBom = "UTF-8 with BOM";

    public const string Gb18030 = "GB18030";

    /// <summary>GB18030 that throws on bytes it cannot read, rather than guessing.</summary>
    internal static readonly Lazy<Encoding> StrictGb18030 = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    private static (string Name, Encoding? Encoding, int Skip) Detect(ReadOnlySpan<byte> head) => head switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (Utf8WithBom, null, 3),
        [0xFF, 0xFE, 0x00, 0x00, ..] => ("UTF-32 LE", new UTF32Encoding(bigEndian: false, byteOrderMark: false), 4),
        [0x00, 0x00, 0xFE, 0xFF, ..] => ("UTF-32 BE", new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4),
        [0xFF, 0xFE, ..] => ("UTF-16 LE", new UnicodeEncoding(bigEndian: false, byteOrderMark: false), 2),
        [0xFE, 0xFF, ..] => ("UTF-16 BE", new UnicodeEncoding(bigEndian: true, byteOrderMark: false), 2),
        _ => LooksLikeUtf16(head, out var bigEndian)
            ? (bigEndian ? "UTF-16 BE" : "UTF-16 LE", new UnicodeEncoding(bigEndian, byteOrderMark: false), 0)
            : (Utf8, null, 0),
    };

    /// <summary>
    /// UTF-16 without a byte order mark: mostly-Latin text has a zero in every other byte, on the odd side for little
    /// endian. Valid UTF-8 text has no zero bytes at all, so at least one zero is required: for a head of under five
    /// pairs the two-in-five share rounds down to none, which took ASCII such as "lena\n" for UTF-16.
    /// </summary>
    private static bool LooksLikeUtf16(ReadOnlySpan<byte> head, out bool bigEndian)
    {
        int zerosEven = 0, zerosOdd = 0;
        for (var index = 0; index + 1 < head.Length; index += 2)
        {
            zerosEven += head[index] == 0 ? 1 : 0;
            zerosOdd += head[index + 1] == 0 ? 1 : 0;
        }

        var pairs = head.Length / 2;
        bigEndian = zerosEven > zerosOdd;
        return pairs >= 2 && Math.Max(zerosEven, zerosOdd) >= Math.Max(1, pairs * 2 / 5) && Math.Min(zerosEven, zerosOdd) <= pairs / 20;
    }

    /// <summary>The sniffed first bytes, then the rest of the stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ForwardReadStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
            {
                return rest.Read(buffer);
            }

            var length = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..length].CopyTo(buffer);
            _prefix = _prefix[length..];
            return length;
        }
    }
}
