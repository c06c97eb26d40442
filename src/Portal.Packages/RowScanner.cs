using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;

namespace Portal.Packages;

/// <summary>
/// The hot path: splits text into rows, checks each against the rules and hands every valid account and every problem to
/// <typeparamref name="TRows"/>, in one pass over large buffers. Rows are never decoded to strings unless they go into the report.
/// </summary>
/// <remarks>
/// <para>Each 64-byte block is classified with vector compares into three bit masks: line ends, bytes that need a closer look
/// (anything outside printable ASCII, and for CSV quotes and the delimiter), and non-digits. A row with no closer-look
/// byte and a valid length is an account as it stands, the common case; any other row takes <see cref="Inspect"/>, the
/// one place where the rules are spelt out in full.</para>
/// <para>The same scanner serves the validating pass and the second pass that finds where duplicates first appeared, so
/// both read the rows alike by construction. <typeparamref name="TRows"/> is a struct so that each pass gets its own
/// compiled scanner, with the calls per row made directly and inlined rather than through an interface.</para>
/// </remarks>
internal sealed class RowScanner<TRows>
    where TRows : struct, IRowSink
{
    private const int ReadSize = 1 << 20;
    private const int BlockBytes = 64;
    private const int MaxAccountBytes = PackageRules.MaxAccountLength * 4;
    private const int EncodingWindowBytes = 64 * 1024;
    private const int SniffRows = 100;

    private readonly ValidationRequest _request;
    private readonly string _dataName;
    private readonly bool _csv;
    private readonly int _minFastLength;

    // A row without delimiter has no second column: with a later column chosen, no row is an account as it stands.
    private readonly bool _fastPathAllowed;
    private readonly int _maxFastLength;

    // Vector over-reads of the last block stay inside the array.
    private readonly byte[] _buffer = new byte[ReadSize + BlockBytes];

    private TRows _rows;
    private TextMode _mode;
    private byte _delimiter = (byte)',';
    private Vector256<byte> _quoteByte;
    private Vector256<byte> _delimiterByte;
    private int _bufferLength;
    private long _line;
    private bool _headerPending;
    private bool _afterCarriageReturn;
    private bool _inLongLine;
    private long _longLineCodePoints;
    private byte[] _longLineStart = [];
    private byte[]? _decoded;
    private byte[]? _unquoted;

    /// <summary><c>dataName</c> is the data file's name, for messages: the package's own, or the file's inside a zip.</summary>
    public RowScanner(ValidationRequest request, string dataName, bool converted, TRows rows)
    {
        _request = request;
        _dataName = dataName;
        _csv = PackageRules.Extension(dataName) == ".csv";
        _mode = converted ? TextMode.Converted : TextMode.Undecided;
        _rows = rows;
        _headerPending = request.FirstRowIsHeader;
        _fastPathAllowed = !_csv || request.AccountColumn is null or 1;
        (_minFastLength, _maxFastLength) = request.Kind == PackageKind.Token
            ? (PackageRules.TokenLength, PackageRules.TokenLength)
            : (PackageRules.MinAccountLength, PackageRules.MaxAccountLength);
    }

    private enum TextMode
    {
        /// <summary>Only ASCII so far, which reads the same in UTF-8 and GB18030: the first non-ASCII row decides.</summary>
        Undecided,
        Utf8,
        Gb18030,

        /// <summary>UTF-16 or UTF-32 converted to UTF-8 by <see cref="TextSource"/>.</summary>
        Converted,
    }

    /// <summary>Rows read so far, blank and invalid ones included.</summary>
    public long RowCount => _line;

    public long ValidCount { get; private set; }

    /// <summary>Row 1 as shown, when the user did not say it is a header but it looks like one (see <see cref="HeaderNames"/>).</summary>
    public string? LikelyHeader { get; private set; }

    /// <summary>A CSV's column names: the fields of row 1 when it is, or looks like, a header.</summary>
    public IReadOnlyList<string>? HeaderFields { get; private set; }

    /// <summary>The fields of a CSV's first row of data with more than one column; null when every row has one.</summary>
    public IReadOnlyList<string>? SampleFields { get; private set; }

    /// <summary>
    /// Reads the text to its end, or until the rows are <see cref="IRowSink.Satisfied"/>. <c>expectedBytes</c>, about how
    /// long the text is (0 when not known), lets the rows size themselves once after the first buffer instead of growing.
    /// </summary>
    public void Run(Stream text, long expectedBytes, CancellationToken cancellationToken)
    {
        var carry = 0;
        var first = true;
        while (!_rows.Satisfied)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = text.ReadAtLeast(_buffer.AsSpan(carry, ReadSize - carry), ReadSize - carry, throwOnEndOfStream: false);
            _bufferLength = carry + read;
            var atEnd = carry + read < ReadSize;
            if (first && _csv)
            {
                SniffDelimiter(_buffer.AsSpan(0, _bufferLength));
            }

            var consumed = Scan(ContinueLongLine(atEnd), atEnd);
            if (first && expectedBytes > _bufferLength && _bufferLength > 0)
            {
                _rows.Expect(_bufferLength, expectedBytes);
            }

            first = false;
            if (atEnd)
            {
                break;
            }

            carry = _bufferLength - consumed;
            if (carry == ReadSize)
            {
                // One line fills the whole buffer: it cannot be an account. Keep its start to show, then skip to its end.
                _longLineStart = _buffer.AsSpan(0, MaxAccountBytes).ToArray();
                _inLongLine = true;
                _longLineCodePoints = AccountText.CodePointCount(_buffer.AsSpan(0, ReadSize));
                carry = 0;
            }

            _buffer.AsSpan(consumed, carry).CopyTo(_buffer);
        }

    }

    /// <summary>Inside a line longer than the buffer: skips to its end and reports it. Returns where normal scanning resumes.</summary>
    private int ContinueLongLine(bool atEnd)
    {
        if (!_inLongLine)
        {
            return 0;
        }

        var data = _buffer.AsSpan(0, _bufferLength);
        var end = data.IndexOfAny((byte)'\n', (byte)'\r');
        var part = end < 0 ? data : data[..end];
        _longLineCodePoints += AccountText.CodePointCount(part);
        if (end < 0 && !atEnd)
        {
            return _bufferLength;
        }

        _line++;
        _afterCarriageReturn = end >= 0 && data[end] == (byte)'\r';
        var reason = _request.Kind == PackageKind.Token ? ProblemReason.WrongTokenLength : ProblemReason.TooLong;
        Problem(reason, _longLineStart, _longLineCodePoints);
        _inLongLine = false;
        return end < 0 ? _bufferLength : end + 1;
    }

    /// <summary>Handles every complete line in the buffer from <paramref name="from"/> (and at the end, the unterminated last one); returns where the incomplete rest starts.</summary>
    private int Scan(int from, bool atEnd)
    {
        var length = _bufferLength;
        ref var data = ref MemoryMarshal.GetArrayDataReference(_buffer);
        var lineStart = from;
        bool special = false, nonDigit = false;
        for (var block = from; block < length; block += BlockBytes)
        {
            var (ends, closer, nonDigits) = Classify(ref data, block);
            if (length - block < BlockBytes)
            {
                var valid = (1UL << (length - block)) - 1;
                (ends, closer, nonDigits) = (ends & valid, closer & valid, nonDigits & valid);
            }

            var segmentStart = 0;
            for (; ends != 0; ends &= ends - 1)
            {
                var bit = BitOperations.TrailingZeroCount(ends);
                var segment = ((1UL << bit) - 1) & (~0UL << segmentStart);
                special |= (closer & segment) != 0;
                nonDigit |= (nonDigits & segment) != 0;
                var lineEnd = block + bit;
                OnLine(lineStart, lineEnd, _buffer[lineEnd], special, nonDigit);
                (lineStart, special, nonDigit, segmentStart) = (lineEnd + 1, false, false, bit + 1);
            }

            if (segmentStart < BlockBytes)
            {
                var rest = ~0UL << segmentStart;
                special |= (closer & rest) != 0;
                nonDigit |= (nonDigits & rest) != 0;
            }
        }

        if (atEnd && lineStart < length)
        {
            OnLine(lineStart, length, terminator: 0, special, nonDigit);
            lineStart = length;
        }

        return lineStart;
    }

    private (ulong Ends, ulong Closer, ulong NonDigits) Classify(ref byte data, int offset)
    {
        var low = Vector256.LoadUnsafe(ref data, (nuint)offset);
        var high = Vector256.LoadUnsafe(ref data, (nuint)offset + 32);
        return (Mask(IsLineEnd(low), IsLineEnd(high)), Mask(NeedsCloserLook(low), NeedsCloserLook(high)), Mask(IsNonDigit(low), IsNonDigit(high)));
    }

    private static Vector256<byte> IsLineEnd(Vector256<byte> bytes) =>
        Vector256.Equals(bytes, Vector256.Create((byte)'\n')) | Vector256.Equals(bytes, Vector256.Create((byte)'\r'));

    /// <summary>Controls, space, DEL and non-ASCII (outside 0x21..0x7E, as one unsigned compare), plus the CSV quote and delimiter.</summary>
    private Vector256<byte> NeedsCloserLook(Vector256<byte> bytes) =>
        Vector256.GreaterThan(bytes - Vector256.Create((byte)0x21), Vector256.Create((byte)(0x7E - 0x21)))
        | Vector256.Equals(bytes, _quoteByte) | Vector256.Equals(bytes, _delimiterByte);

    private static Vector256<byte> IsNonDigit(Vector256<byte> bytes) =>
        Vector256.GreaterThan(bytes - Vector256.Create((byte)'0'), Vector256.Create((byte)9));

    private static ulong Mask(Vector256<byte> low, Vector256<byte> high) =>
        low.ExtractMostSignificantBits() | ((ulong)high.ExtractMostSignificantBits() << 32);

    private void OnLine(int start, int end, byte terminator, bool special, bool nonDigit)
    {
        // The LF of a CRLF ends nothing: the CR already ended the line.
        var secondHalfOfCrLf = terminator == (byte)'\n' && start == end && _afterCarriageReturn;
        _afterCarriageReturn = terminator == (byte)'\r';
        if (secondHalfOfCrLf)
        {
            return;
        }

        if (_afterCarriageReturn)
        {
            // The clean package ends lines with LF alone.
            _rows.Diverge();
        }

        _line++;
        var length = end - start;
        if (_line == 1)
        {
            LookAtFirstRow(_buffer.AsSpan(start, length));
        }

        if (!special && !_headerPending && _fastPathAllowed && length >= _minFastLength && length <= _maxFastLength)
        {
            Accept(_buffer.AsSpan(start, length), allDigits: !nonDigit);
            return;
        }

        Inspect(start, length);
    }

    /// <summary>
    /// Whether row 1 names the column(s) (<c>account_id</c>, <c>openid</c>, <c>账号</c>…), and, for a CSV whose row 1 is a
    /// header, the names of its columns. Whatever the row holds otherwise: a header is often not a valid account at all.
    /// </summary>
    private void LookAtFirstRow(ReadOnlySpan<byte> row)
    {
        if (HeaderNames.Decode(row) is not { } text)
        {
            return;
        }

        List<string> fields = [];
        if (!_csv || !CsvField.TryParse(Encoding.UTF8.GetBytes(text), _delimiter, new byte[row.Length * 4 + 4], -1, out _, out _, fields))
        {
            fields = [ValueText.Show(Encoding.UTF8.GetBytes(text))];
        }

        var looksLikeHeader = fields.Any(HeaderNames.IsHeaderName);
        if (!_request.FirstRowIsHeader && looksLikeHeader)
        {
            LikelyHeader = ValueText.Show(Encoding.UTF8.GetBytes(text));
        }

        if (_csv && (_request.FirstRowIsHeader || looksLikeHeader))
        {
            HeaderFields = fields;
        }
    }

    /// <summary>Every rule, in order, for a row that is not plainly an account.</summary>
    private void Inspect(int start, int length)
    {
        ReadOnlySpan<byte> raw = _buffer.AsSpan(start, length);
        var text = raw;
        if (_headerPending)
        {
            _headerPending = false;
            Problem(ProblemReason.HeaderRow, text);
            return;
        }

        if (!Ascii.IsValid(text) && !TryDecode(start, ref text))
        {
            Problem(ProblemReason.InvalidEncoding, raw);
            return;
        }

        if (_csv)
        {
            var scratch = _unquoted ??= new byte[_buffer.Length * 2];
            var chosen = _request.AccountColumn ?? 1;
            if (!CsvField.TryParse(text, _delimiter, scratch, chosen - 1, out var field, out var columns))
            {
                Problem(ProblemReason.MalformedQuotes, text, columns);
                return;
            }

            if (columns > 1 && SampleFields is null && !(_line == 1 && LikelyHeader is not null))
            {
                // The first row of data with several columns shows, in the report, what each column holds.
                List<string> samples = [];
                CsvField.TryParse(text, _delimiter, scratch, -1, out _, out _, samples);
                SampleFields = samples;
                field = default;
                CsvField.TryParse(text, _delimiter, scratch, chosen - 1, out field, out _);
            }

            if (_request.AccountColumn is null && columns > 1)
            {
                Problem(ProblemReason.MultipleColumns, text, columns);
                return;
            }

            if (columns < chosen)
            {
                Problem(ProblemReason.MissingColumn, text, chosen);
                return;
            }

            text = field;
        }

        var account = AccountText.Trim(text);
        if (account.IsEmpty)
        {
            Problem(ProblemReason.Blank, text);
            return;
        }

        if (account.Length != text.Length)
        {
            Problem(ProblemReason.SurroundingWhitespace, text);
        }

        if (AccountText.ContainsControl(account))
        {
            Problem(ProblemReason.ControlCharacter, account);
            return;
        }

        var codePoints = AccountText.CodePointCount(account);
        if (ProblemText.LengthProblem(codePoints, _request.Kind) is { } lengthProblem)
        {
            Problem(lengthProblem, account, codePoints);
            return;
        }

        if (!account.SequenceEqual(raw))
        {
            // Unquoted, trimmed or converted: the clean package holds another text than the original.
            _rows.Diverge();
        }

        Accept(account, allDigits: account.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0);
    }

    /// <summary>Turns a row with non-ASCII bytes into valid UTF-8 (in place, or converted from GB18030); false when it is not valid text.</summary>
    private bool TryDecode(int start, ref ReadOnlySpan<byte> text)
    {
        if (_mode == TextMode.Undecided)
        {
            DecideEncoding(start);
        }

        switch (_mode)
        {
            case TextMode.Gb18030:
                try
                {
                    // GB18030 takes at most 4 bytes for what UTF-8 takes 4, and 2 for what it takes 3.
                    _decoded ??= new byte[_buffer.Length * 2];
                    text = _decoded.AsSpan(0, Encoding.UTF8.GetBytes(TextSource.StrictGb18030.Value.GetString(text), _decoded));
                    return true;
                }
                catch (DecoderFallbackException)
                {
                    return false;
                }

            case TextMode.Converted:
                // The conversion put U+FFFD where the original held bytes that are not valid in its encoding.
                return text.IndexOf("\uFFFD"u8) < 0;
            default:
                return Utf8.IsValid(text);
        }
    }

    /// <summary>
    /// At the first non-ASCII row, looks at the next 64 KiB of whole lines: valid UTF-8 is UTF-8; otherwise text that GB18030
    /// decodes strictly into mostly Chinese characters is GB18030 (GBK's superset); anything else is UTF-8 with invalid rows.
    /// </summary>
    private void DecideEncoding(int start)
    {
        var window = _buffer.AsSpan(start, Math.Min(EncodingWindowBytes, _bufferLength - start));
        var lastLineEnd = window.LastIndexOfAny((byte)'\n', (byte)'\r');
        if (lastLineEnd > 0)
        {
            window = window[..lastLineEnd];
        }

        _mode = !Utf8.IsValid(window) && LooksLikeChinese(window) ? TextMode.Gb18030 : TextMode.Utf8;
        if (_mode == TextMode.Gb18030)
        {
            _rows.NotUtf8(TextSource.Gb18030, $"'{_dataName}' is encoded in GB18030 (GBK), not UTF-8 as Tencent requires. The clean package is converted to UTF-8.");
        }
    }

    private static bool LooksLikeChinese(ReadOnlySpan<byte> window)
    {
        string text;
        try
        {
            text = TextSource.StrictGb18030.Value.GetString(window);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        int nonAscii = 0, chinese = 0;
        foreach (var c in text)
        {
            nonAscii += c >= 0x80 ? 1 : 0;
            chinese += c is (>= '\u3000' and <= '\u303F') or (>= '\u3400' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFF00' and <= '\uFFEF') ? 1 : 0;
        }

        return chinese * 2 >= nonAscii;
    }

    private void SniffDelimiter(ReadOnlySpan<byte> head)
    {
        int rows = 0, commas = 0, semicolons = 0, tabs = 0;
        while (!head.IsEmpty && rows < SniffRows)
        {
            var end = head.IndexOfAny((byte)'\n', (byte)'\r');
            var row = end < 0 ? head : head[..end];
            head = end < 0 ? default : head[(end + 1)..];
            if (row.IsEmpty)
            {
                continue;
            }

            rows++;
            commas += row.Contains((byte)',') ? 1 : 0;
            semicolons += row.Contains((byte)';') ? 1 : 0;
            tabs += row.Contains((byte)'\t') ? 1 : 0;
        }

        (byte Byte, string Shown, string Name, int Rows)? delimiter =
            semicolons * 2 >= rows && semicolons > commas && semicolons >= tabs && rows > 0 ? ((byte)';', ";", "semicolons (;)", semicolons)
            : tabs * 2 >= rows && tabs > commas && rows > 0 ? ((byte)'\t', "\t", "tabs", tabs)
            : null;
        if (delimiter is { } found)
        {
            _delimiter = found.Byte;
            _rows.Delimiter(found.Shown, new PackageWarning(WarningKind.Delimiter, found.Rows, [],
                $"'{_dataName}' looks separated by {found.Name}, not commas ({found.Rows} of its first {rows} rows): each value between them counts as a column. Save a single column as 'CSV (comma delimited)'."));
        }

        _quoteByte = Vector256.Create((byte)'"');
        _delimiterByte = Vector256.Create(_delimiter);
    }

    private void Problem(ProblemReason reason, ReadOnlySpan<byte> value, long detail = 0) => _rows.Problem(_line, reason, value, detail);

    /// <summary>A valid account: counted, and handed on with the hash the duplicate check knows it by.</summary>
    private void Accept(ReadOnlySpan<byte> account, bool allDigits)
    {
        if (!allDigits && !_request.KeepScientificNotation && SpreadsheetDamage.IsScientific(account))
        {
            Problem(ProblemReason.ScientificNotation, account);
            return;
        }

        ValidCount++;
        _rows.Account(account, AccountSet.Hash(account), allDigits, _line);
    }
}
