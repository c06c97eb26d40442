using System.Buffers;
using System.Text;

namespace Portal.DevStack.TencentSimulator;

/// <summary>
/// Tencent's rules on the text of an account package (docs/tpns-api.md, "File rules"), checked as the bytes stream past
/// so that a file of any size costs a few counters: UTF-8 (a UTF-8 byte order mark is allowed) without NUL, and on each
/// non-blank line one account of 2 to 100 characters, counted in Unicode code points (a 36-character token is one). In a
/// .csv the account is the line's only RFC 4180 field, so a quoted field may hold a comma; a line's trailing CR is not
/// part of it, and a quoted field does not run on to the next line. Also counts the rows, as
/// <see cref="ReceivedPackage.RowCount"/> records them. The first broken rule is kept, with its line, and the rest of the
/// text is not looked at.
/// </summary>
/// <remarks>
/// A stand-in, not the portal's validator (which Portal.DevStack cannot reference): it only says what is wrong, and Tencent's
/// own wording of these refusals is unknown.
/// </remarks>
internal sealed class PackageText(bool isCsv)
{
    private const int MinLength = 2;
    private const int MaxLength = 100;

    /// <summary>Printable ASCII but the quote and the comma: a character in any state of a line.</summary>
    private static readonly SearchValues<byte> Plain = SearchValues.Create(
        [.. Enumerable.Range(' ', '~' - ' ' + 1).Where(b => b is not ('"' or ',')).Select(b => (byte)b)]);

    // The first bytes of the text, to name a UTF-16 or UTF-32 byte order mark; and a UTF-8 sequence a chunk cut in two.
    private readonly byte[] head = new byte[4];
    private readonly byte[] cut = new byte[4];
    private int headLength;
    private int cutLength;
    private bool started;
    private string? problem;

    private long line = 1;
    private bool lineHasBytes;
    private bool crPending;
    private bool blank = true;
    private long characters;
    private int columns = 1;
    private Field field;

    /// <summary>Where a .csv line is between quotes.</summary>
    private enum Field
    {
        Start,
        Unquoted,
        Quoted,
        QuoteInQuoted,
        Malformed,
    }

    /// <summary>What is wrong with the text, naming the line; null while it follows the rules.</summary>
    public string? Problem => problem is not null && ByteOrderMark(head.AsSpan(0, headLength)) is { } encoding
        ? $"the text is {encoding} (it starts with that byte order mark), not UTF-8"
        : problem;

    public void Add(ReadOnlySpan<byte> chunk)
    {
        var headBytes = Math.Min(head.Length - headLength, chunk.Length);
        chunk[..headBytes].CopyTo(head.AsSpan(headLength));
        headLength += headBytes;

        // Finish the sequence the previous chunk ended in, one byte at a time (it lacks 3 at most).
        while (cutLength > 0 && !chunk.IsEmpty && problem is null)
        {
            cut[cutLength++] = chunk[0];
            chunk = chunk[1..];
            var status = Rune.DecodeFromUtf8(cut.AsSpan(0, cutLength), out var rune, out _);
            if (status != OperationStatus.NeedMoreData)
            {
                cutLength = 0;
                Take(status == OperationStatus.Done ? rune.Value : -1);
            }
        }

        while (!chunk.IsEmpty && problem is null)
        {
            if (chunk[0] < 0x80)
            {
                // Most text is a run of plain bytes: after the first, each only adds a character.
                var run = Math.Max(chunk.IndexOfAnyExcept(Plain) is var end and >= 0 ? end : chunk.Length, 1);
                Take(chunk[0]);
                characters += run - 1;
                chunk = chunk[run..];
                continue;
            }

            var status = Rune.DecodeFromUtf8(chunk, out var rune, out var length);
            if (status == OperationStatus.NeedMoreData)
            {
                chunk.CopyTo(cut);
                cutLength = chunk.Length;
                return;
            }

            Take(status == OperationStatus.Done ? rune.Value : -1);
            chunk = chunk[length..];
        }
    }

    /// <summary>
    /// Ends the text (its last line needs no line feed, but a UTF-8 sequence cut short by the end is invalid) and gives
    /// its rows (each line feed ends one, and a last line without a line feed counts too) and what is wrong, if anything.
    /// </summary>
    public (long Rows, string? Problem) Complete()
    {
        if (cutLength > 0)
        {
            Take(-1);
        }

        EndLine();
        return (line - 1 + (lineHasBytes ? 1 : 0), Problem);
    }

    /// <summary>Takes one code point; -1 stands for bytes that are not UTF-8.</summary>
    private void Take(int codePoint)
    {
        var first = !started;
        started = true;
        lineHasBytes = true;
        if (codePoint is -1 or 0)
        {
            problem ??= codePoint == 0 ? $"line {line} has a NUL byte (UTF-16, UTF-32 or binary data?)" : $"line {line} is not valid UTF-8";
            return;
        }

        if (codePoint == 0xFEFF && first)
        {
            return;
        }

        if (codePoint == '\n')
        {
            crPending = false;
            EndLine();
            line++;
            lineHasBytes = false;
            return;
        }

        // A CR is part of the line unless a line feed follows it.
        if (crPending)
        {
            Character('\r');
        }

        crPending = codePoint == '\r';
        if (!crPending)
        {
            Character(codePoint);
        }
    }

    private void Character(int codePoint)
    {
        blank = false;
        if (!isCsv)
        {
            characters++;
            return;
        }

        switch (field, codePoint)
        {
            case (Field.Malformed, _):
                break;
            case (Field.Quoted, '"'):
                // Closes the field, or is the first of a doubled quote.
                field = Field.QuoteInQuoted;
                break;
            case (Field.Quoted, _):
                characters++;
                break;
            case (Field.QuoteInQuoted, '"'):
                field = Field.Quoted;
                characters++;
                break;
            case (_, ','):
                field = Field.Start;
                columns++;
                break;
            case (Field.Start, '"'):
                field = Field.Quoted;
                break;
            case (Field.QuoteInQuoted, _) or (Field.Unquoted, '"'):
                field = Field.Malformed;
                break;
            default:
                field = Field.Unquoted;
                characters++;
                break;
        }
    }

    private void EndLine()
    {
        if (!blank && problem is null)
        {
            problem = field is Field.Malformed or Field.Quoted ? $"line {line} has a stray or unclosed quote"
                : columns > 1 ? $"line {line} has {columns} columns"
                : characters is < MinLength or > MaxLength
                    ? $"line {line} has {characters} character{(characters == 1 ? "" : "s")} ({MinLength}-{MaxLength} allowed)"
                : null;
        }

        (blank, characters, columns, field) = (true, 0, 1, Field.Start);
    }

    private static string? ByteOrderMark(ReadOnlySpan<byte> head) => head switch
    {
        [0xFF, 0xFE, 0, 0] => "UTF-32 LE",
        [0, 0, 0xFE, 0xFF] => "UTF-32 BE",
        [0xFF, 0xFE, ..] => "UTF-16 LE",
        [0xFE, 0xFF, ..] => "UTF-16 BE",
        _ => null,
    };
}
