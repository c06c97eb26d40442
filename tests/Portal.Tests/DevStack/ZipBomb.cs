using System.IO.Compression;
using System.IO.Hashing;

namespace Portal.Tests.DevStack;

/// <summary>
/// A valid .zip whose single <c>accounts.txt</c> unpacks to gigabytes of <c>abc\n</c> (valid accounts, so only a bound on
/// unpacking stops it), built in a fraction of a second without compressing gigabytes: one MiB of the text is deflated
/// twice in a row, each ending with a sync flush, and the second MiB's deflate blocks, which only refer back to the
/// same text, are repeated. The CRC-32 is combined from the MiB's (zlib's <c>crc32_combine</c>), the sizes are in Zip64
/// fields.
/// </summary>
internal static class ZipBomb
{
    /// <summary>6,390 MiB: 6.7 GB unpacked, from 6.5 MB.</summary>
    public const int Copies6700MB = 6390;

    public const string EntryName = "accounts.txt";

    private const int Block = 1 << 20;

    /// <summary>The unpacked text: <paramref name="copies"/> MiB of <c>abc\n</c>.</summary>
    public static byte[] Build(int copies)
    {
        var block = new byte[Block];
        for (var i = 0; i < Block; i++)
        {
            block[i] = "abc\n"u8[i % 4];
        }

        byte[] first, repeated;
        using (var deflated = new MemoryStream())
        {
            using var deflate = new DeflateStream(deflated, CompressionLevel.SmallestSize, leaveOpen: true);
            deflate.Write(block);
            deflate.Flush();
            first = deflated.ToArray();
            deflate.Write(block);
            deflate.Flush();
            repeated = deflated.ToArray()[first.Length..];
        }

        var blockCrc = Crc32.HashToUInt32(block);
        var crc = 0u;
        for (var i = 0; i < copies; i++)
        {
            crc = CombineCrc(crc, blockCrc, Block);
        }

        // The data ends with an empty final block with fixed codes (0x03 0x00).
        var size = (long)copies * Block;
        var compressed = first.Length + ((long)(copies - 1) * repeated.Length) + 2;
        using var zip = new MemoryStream();
        using var writer = new BinaryWriter(zip);
        writer.Write(0x04034B50u);
        Header(writer, crc, size, compressed);
        for (var i = 0; i < copies; i++)
        {
            writer.Write(i == 0 ? first : repeated);
        }

        writer.Write((byte)0x03);
        writer.Write((byte)0x00);

        var directory = zip.Position;
        writer.Write(0x02014B50u);
        writer.Write((ushort)45); // made by: Zip64
        Header(writer, crc, size, compressed, centralDirectory: true);
        var directoryLength = zip.Position - directory;

        writer.Write(0x06054B50u);
        writer.Write(0u); // this disk, the directory's disk
        writer.Write((ushort)1);
        writer.Write((ushort)1);
        writer.Write((uint)directoryLength);
        writer.Write((uint)directory);
        writer.Write((ushort)0); // comment
        writer.Flush();
        return zip.ToArray();
    }

    /// <summary>The fields a local header and a central directory entry share, with the Zip64 sizes after the name.</summary>
    private static void Header(BinaryWriter writer, uint crc, long size, long compressed, bool centralDirectory = false)
    {
        writer.Write((ushort)45); // needed: Zip64
        writer.Write((ushort)0); // flags
        writer.Write((ushort)8); // deflate
        writer.Write(0x00210000u); // 1980-01-01 00:00
        writer.Write(crc);
        writer.Write(uint.MaxValue); // sizes: in the Zip64 field
        writer.Write(uint.MaxValue);
        writer.Write((ushort)EntryName.Length);
        writer.Write((ushort)20); // extra field
        if (centralDirectory)
        {
            writer.Write(new byte[14]); // comment length, disk, internal and external attributes, offset 0
        }

        writer.Write(System.Text.Encoding.ASCII.GetBytes(EntryName));
        writer.Write((ushort)0x0001); // Zip64 extended information
        writer.Write((ushort)16);
        writer.Write(size);
        writer.Write(compressed);
    }

    /// <summary>The CRC-32 of A then B, from theirs and B's length: A's CRC times x^(8 × length) modulo the polynomial, plus B's.</summary>
    private static uint CombineCrc(uint crcA, uint crcB, long lengthB)
    {
        // Bit 31 is x^0 (the CRC is reflected): power starts at 1, square at x^1 and is squared for each bit of the exponent.
        uint power = 1u << 31, square = 1u << 30;
        for (var exponent = lengthB * 8; exponent > 0; exponent >>= 1)
        {
            if ((exponent & 1) != 0)
            {
                power = Multiply(power, square);
            }

            square = Multiply(square, square);
        }

        return Multiply(power, crcA) ^ crcB;
    }

    private static uint Multiply(uint a, uint b)
    {
        var product = 0u;
        for (var bit = 1u << 31; bit != 0; bit >>= 1)
        {
            if ((a & bit) != 0)
            {
                product ^= b;
            }

            b = (b & 1) != 0 ? (b >> 1) ^ 0xEDB88320 : b >> 1;
        }

        return product;
    }
}

/// <summary>The bomb is a valid .zip that unpacks to what it claims (checked in full on a small one).</summary>
public sealed class ZipBombTests
{
    [Fact]
    public void A_small_bomb_unpacks_to_its_text_with_the_right_crc()
    {
        using var archive = new ZipArchive(new MemoryStream(ZipBomb.Build(copies: 5)), ZipArchiveMode.Read);
        var entry = Assert.Single(archive.Entries);
        using var content = entry.Open();
        var crc = new Crc32();
        var buffer = new byte[64 * 1024];
        long length = 0;
        int read;
        while ((read = content.Read(buffer)) > 0)
        {
            Assert.True(buffer.AsSpan(0, read).SequenceEqual(MemoryExtensions.AsSpan(ExpectedText(length, read))));
            crc.Append(buffer.AsSpan(0, read));
            length += read;
        }

        Assert.Equal((ZipBomb.EntryName, 5L << 20, entry.Crc32), (entry.FullName, length, crc.GetCurrentHashAsUInt32()));
    }

    [Fact]
    public void The_6_7_GB_bomb_says_so_in_6_5_MB()
    {
        var bomb = ZipBomb.Build(ZipBomb.Copies6700MB);
        using var archive = new ZipArchive(new MemoryStream(bomb), ZipArchiveMode.Read);

        Assert.Equal(6_700_400_640L, Assert.Single(archive.Entries).Length);
        Assert.InRange(bomb.Length, 6_000_000, 7_000_000);
    }

    private static byte[] ExpectedText(long offset, int length) =>
        [.. Enumerable.Range(0, length).Select(i => "abc\n"u8[(int)((offset + i) % 4)])];
}
