namespace Portal.Packages;

/// <summary>
/// Splits a byte stream into lines on LF, CRLF or a lone CR, without decoding and without ever holding more than
/// one buffer plus the start of the current line. A line longer than <see cref="MaxKeptBytes"/> keeps only its
/// first bytes, but its full byte length and code-point count are still measured.
/// </summary>
internal sealed class LineReader(Stream source)
{
    /// <summary>Enough for any valid account (100 code points of at most 4 bytes each) plus one more, to tell it is too long.</summary>
    public const int MaxKeptBytes = (PackageRules.MaxAccountLength + 1) * 4;

    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly byte[] _line = new byte[MaxKeptBytes];
    private int _position;
    private int _length;
    private bool _pendingCarriageReturn;

    /// <summary>The kept bytes of the current line (all of it unless <see cref="IsTruncated"/>).</summary>
    public ReadOnlySpan<byte> Line => _line.AsSpan(0, (int)Math.Min(LineByteCount, MaxKeptBytes));

    public long LineByteCount { get; private set; }

    public bool IsTruncated => LineByteCount > MaxKeptBytes;

    /// <summary>1-based number of the current line.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Advances to the next line; false at the end of the stream. A final line without a line ending counts; an empty one after the last ending does not.</summary>
    public bool ReadLine()
    {
        LineByteCount = 0;
        var sawAnything = false;
        while (true)
        {
            if (_position == _length)
            {
                _length = source.Read(_buffer, 0, _buffer.Length);
                _position = 0;
                if (_length == 0)
                {
                    if (!sawAnything)
                    {
                        return false;
                    }

                    LineNumber++;
                    return true;
                }
            }

            if (_pendingCarriageReturn)
            {
                // CRLF: the LF belongs to the CR that already ended the previous line.
                _pendingCarriageReturn = false;
                if (_buffer[_position] == (byte)'\n')
                {
                    _position++;
                    continue;
                }
            }

            var span = _buffer.AsSpan(_position, _length - _position);
            var end = span.IndexOfAny((byte)'\n', (byte)'\r');
            var chunk = end < 0 ? span : span[..end];
            Keep(chunk);
            sawAnything = true;
            if (end < 0)
            {
                _position = _length;
                continue;
            }

            _pendingCarriageReturn = span[end] == (byte)'\r';
            _position += end + 1;
            LineNumber++;
            return true;
        }
    }

    private void Keep(ReadOnlySpan<byte> chunk)
    {
        if (LineByteCount < MaxKeptBytes)
        {
            var room = (int)(MaxKeptBytes - LineByteCount);
            chunk[..Math.Min(room, chunk.Length)].CopyTo(_line.AsSpan((int)LineByteCount));
        }

        LineByteCount += chunk.Length;
    }
}
