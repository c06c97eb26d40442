using System.IO.Compression;
using System.Text;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>The kinds of file people pick by mistake are told by their first bytes; text of any encoding is left to the validator.</summary>
public sealed class FileSignatureTests
{
    public static TheoryData<string, byte[], FileKind> Files => new()
    {
        { "a PNG", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], FileKind.Png },
        { "a JPEG", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16], FileKind.Jpeg },
        { "a PDF", "%PDF-1.7\n%âãÏÓ\n"u8.ToArray(), FileKind.Pdf },
        { "an old .xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], FileKind.OlderOfficeDocument },
        { "a workbook", Zip("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"), FileKind.ExcelWorkbook },
        { "a workbook without content types first", Zip("xl/workbook.xml"), FileKind.ExcelWorkbook },
        { "a Word document", Zip("word/document.xml"), FileKind.WordDocument },
        { "a zip of accounts", Zip("accounts.txt"), FileKind.Zip },
        { "accounts", "alice\nbob\n"u8.ToArray(), FileKind.Text },
        { "UTF-16 accounts", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("alice\r\n")).ToArray(), FileKind.Text },
        { "an account that starts like a PDF would not", "PDF-1234\n"u8.ToArray(), FileKind.Text },
        { "nothing", [], FileKind.Text },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_file_is_told_by_its_first_bytes(string what, byte[] content, FileKind expected)
    {
        Assert.NotNull(what);

        Assert.Equal(expected, await FileSignature.IdentifyAsync(new MemoryStream(content), CancellationToken.None));
    }

    [Theory]
    [InlineData("accounts.csv", FileKind.ExcelWorkbook, true)]
    [InlineData("accounts.zip", FileKind.ExcelWorkbook, true)]
    [InlineData("accounts.csv", FileKind.Zip, true)]
    [InlineData("accounts.ZIP", FileKind.Zip, false)]
    [InlineData("accounts.txt", FileKind.Png, true)]
    [InlineData("accounts.txt", FileKind.Text, false)]
    public void Only_a_zip_named_zip_and_text_are_what_they_say(string fileName, FileKind kind, bool contradicts) =>
        Assert.Equal(contradicts, FileSignature.Contradicts(fileName, kind));

    private static byte[] Zip(params string[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(entry).Open());
                writer.Write("<x/>");
            }
        }

        return buffer.ToArray();
    }
}
