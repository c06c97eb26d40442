using System.Text;

namespace Portal.Uploads;

/// <summary>What a file is by its first bytes, for the kinds people pick by mistake instead of a list of accounts.</summary>
public enum FileKind
{
    Text,
    Png,
    Jpeg,
    Gif,
    Pdf,
    ExcelWorkbook,
    WordDocument,
    OlderOfficeDocument,
    Zip,
    Gzip,
    SevenZip,
    Rar,
}

/// <summary>
/// Tells a file's kind from its magic bytes, so the page can say "this is a PNG" instead of reporting every row as invalid
/// text. Anything not recognised is <see cref="FileKind.Text"/> and left to the validator.
/// </summary>
public static class FileSignature
{
    /// <summary>Enough for every signature below, including the first entry's name in a zip.</summary>
    public const int HeadLength = 128;

    private static readonly (byte[] Magic, FileKind Kind)[] Signatures =
    [
        ([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], FileKind.Png),
        ([0xFF, 0xD8, 0xFF], FileKind.Jpeg),
        ("GIF8"u8.ToArray(), FileKind.Gif),
        ("%PDF-"u8.ToArray(), FileKind.Pdf),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], FileKind.OlderOfficeDocument),
        ([0x1F, 0x8B], FileKind.Gzip),
        ([(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C], FileKind.SevenZip),
        ("Rar!\x1A\x07"u8.ToArray(), FileKind.Rar),
        ([(byte)'P', (byte)'K', 0x03, 0x04], FileKind.Zip),
        ([(byte)'P', (byte)'K', 0x05, 0x06], FileKind.Zip),
    ];

    public static FileKind Identify(ReadOnlySpan<byte> head)
    {
        foreach (var (magic, kind) in Signatures)
        {
            if (head.StartsWith(magic))
            {
                return kind == FileKind.Zip ? OfficeKind(head) ?? FileKind.Zip : kind;
            }
        }

        return FileKind.Text;
    }

    /// <summary>
    /// Whether a file with this name and kind is plainly not what its extension says: a PNG named .csv, a workbook named
    /// .csv or .zip. A zip named .zip is what it says (the validator looks inside).
    /// </summary>
    public static bool Contradicts(string fileName, FileKind kind) =>
        kind != FileKind.Text && !(kind == FileKind.Zip && fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase));

    public static async Task<FileKind> IdentifyAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var head = new byte[HeadLength];
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        return Identify(head.AsSpan(0, read));
    }

    /// <summary>Office Open XML files are zips whose first entry is their content types or one of their folders.</summary>
    private static FileKind? OfficeKind(ReadOnlySpan<byte> head)
    {
        const int NameOffset = 30;
        if (head.Length < NameOffset)
        {
            return null;
        }

        var nameLength = Math.Min(head[26] | (head[27] << 8), head.Length - NameOffset);
        var name = Encoding.ASCII.GetString(head.Slice(NameOffset, nameLength));
        return name switch
        {
            _ when name.StartsWith("xl/", StringComparison.Ordinal) => FileKind.ExcelWorkbook,
            _ when name.StartsWith("word/", StringComparison.Ordinal) => FileKind.WordDocument,
            // The content types come first in most workbooks; which Office application follows is not known yet, and a
            // spreadsheet is by far the likelier mistake for a list of accounts.
            "[Content_Types].xml" or "_rels/.rels" or "docProps/app.xml" or "docProps/core.xml" => FileKind.ExcelWorkbook,
            _ => null,
        };
    }
}
