using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Packages;

/// <summary>
/// Streams the clean package to disk while the rows are still being read: accounts go into 1 MiB blocks, which a
/// background thread writes and hashes (SHA-256) while the validator reads on.
/// </summary>
/// <remarks>
/// <para>Until the first row that the clean package would change (a problem, a duplicate, a CR line end, a trimmed or
/// converted value), the clean text is the original byte for byte: the writer only counts it. If the whole file stays so,
/// there is nothing to write (the original is sent as is); otherwise <see cref="Diverge"/> copies that prefix from the
/// original and the writer carries on. Clean files, the common case, thus cost no writing, hashing or compression.</para>
/// <para>Zipped when smaller on the wire. Measuring that exactly would mean compressing everything twice, so the first
/// block decides: a package that fits in one block is zipped when the whole zip is smaller than the text; a larger one
/// when its first MiB deflates to at most 90 % (account lists are uniform enough for the first MiB to speak for the rest).</para>
/// <para>Blocks are deflated independently on the thread pool, each ending in a sync flush, and joined in order into
/// one deflate stream, as pigz does: compression does not hold up reading, and uses every core.</para>
/// </remarks>
internal sealed class CleanPackageWriter : IDisposable
{
    private const int BlockSize = 1 << 20;

    // Room for deflate's worst case on incompressible data (stored blocks: 5 bytes per 64 KiB) plus the sync flush.
    private const int BufferSize = BlockSize + BlockSize / 64 + 1024;
    private const double ZipWhenRatioAtMost = 0.9;

    // zlib-ng level 2 with dynamic Huffman trees: level 1's static trees leave digit-only lists 40 % larger.
    private static readonly ZLibCompressionOptions Compression = new() { CompressionLevel = 2 };

    private readonly string _path;
    private readonly string _textName;
    private readonly string _zipName;
    private readonly BlockingCollection<Block> _queue = new(boundedCapacity: 4);
    // Raw and compressed blocks alike, reused: at most a few are in flight, so memory stays flat whatever the file size.
    private readonly ConcurrentBag<byte[]> _freeBuffers = [];
    private readonly Task<CleanPackage?> _consumer;
    private readonly Action<long, Action<ReadOnlySpan<byte>>> _readOriginal;
    private readonly Crc32 _crc = new();
    private readonly byte[] _entryName;
    private byte[] _buffer = new byte[BufferSize];
    private int _used;
    private volatile int _mode;
    private long _textLength;
    private long _identicalBytes;
    private bool _identical = true;

    /// <summary><c>readOriginal</c> reads the original text's first bytes into a sink, for <see cref="Diverge"/>.</summary>
    public CleanPackageWriter(string path, string textName, string zipName, Action<long, Action<ReadOnlySpan<byte>>> readOriginal)
    {
        _path = path;
        _textName = textName;
        _zipName = zipName;
        _readOriginal = readOriginal;
        _entryName = Encoding.UTF8.GetBytes(textName);
        _consumer = Task.Factory.StartNew(Consume, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private enum Mode
    {
        Undecided,
        Text,
        Zip,
    }

    public long AccountCount { get; private set; }

    /// <summary>Adds an account and its LF. While the text is still identical to the original, only counts it.</summary>
    public void Append(ReadOnlySpan<byte> account)
    {
        AccountCount++;
        if (_identical)
        {
            _identicalBytes += account.Length + 1;
            return;
        }

        if (_used + account.Length + 1 <= BlockSize)
        {
            account.CopyTo(_buffer.AsSpan(_used));
            _buffer[_used + account.Length] = (byte)'\n';
            _used += account.Length + 1;
            return;
        }

        Write(account);
        Write("\n"u8);
    }

    /// <summary>From here on the clean text differs from the original: writes the identical prefix, then goes on writing.</summary>
    public void Diverge()
    {
        if (_identical)
        {
            _identical = false;
            _readOriginal(_identicalBytes, Write);
        }
    }

    /// <summary>Writes what is left and closes the file; null when the clean text is the original as it is (nothing was written).</summary>
    public CleanPackage? Complete()
    {
        if (!_identical)
        {
            Submit(last: true);
        }

        _queue.CompleteAdding();
        return _consumer.GetAwaiter().GetResult();
    }

    /// <summary>No clean package after all: stops the writer and deletes what it wrote.</summary>
    public void Discard()
    {
        if (!_queue.IsAddingCompleted)
        {
            _queue.CompleteAdding();
        }

        // The writer's own failure does not matter any more: the file goes.
        _consumer.ContinueWith(static _ => { }, TaskScheduler.Default).Wait();
        File.Delete(_path);
    }

    public void Dispose()
    {
        if (!_queue.IsAddingCompleted)
        {
            Discard();
        }

        _queue.Dispose();
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_used == BlockSize)
            {
                Submit(last: false);
            }

            var length = Math.Min(bytes.Length, BlockSize - _used);
            bytes[..length].CopyTo(_buffer.AsSpan(_used));
            _used += length;
            bytes = bytes[length..];
        }
    }

    private void Submit(bool last)
    {
        var length = _used;
        var raw = _buffer;
        var compressed = (Mode)_mode == Mode.Text ? null : Task.Run(() => Deflate(raw.AsSpan(0, length)));
        _queue.Add(new Block(raw, length, compressed, last));
        _buffer = RentBuffer();
        _used = 0;
    }

    private CleanPackage? Consume()
    {
        HashingFile? file = null;
        try
        {
            foreach (var block in _queue.GetConsumingEnumerable())
            {
                file ??= new HashingFile(_path);
                WriteBlock(file, block);
            }

            return file is null ? null : Finish(file);
        }
        finally
        {
            file?.Dispose();
        }
    }

    private void WriteBlock(HashingFile file, Block block)
    {
        var raw = block.Raw.AsSpan(0, block.Length);
        if ((Mode)_mode == Mode.Undecided)
        {
            var deflated = block.Compressed!.Result.Length;
            var zip = block.Last ? SingleEntryZip.Size(_entryName.Length, deflated) < raw.Length : deflated <= raw.Length * ZipWhenRatioAtMost;
            _mode = (int)(zip ? Mode.Zip : Mode.Text);
            if (zip)
            {
                SingleEntryZip.WriteLocalHeader(file, _entryName);
            }
        }

        if ((Mode)_mode == Mode.Zip)
        {
            var compressed = block.Compressed?.Result ?? Deflate(raw);
            file.Write(compressed.Bytes);
            _crc.Append(raw);
            _freeBuffers.Add(compressed.Buffer);
        }
        else
        {
            file.Write(raw);
        }

        _textLength += block.Length;
        _freeBuffers.Add(block.Raw);
    }

    private CleanPackage Finish(HashingFile file)
    {
        var zipped = (Mode)_mode == Mode.Zip;
        if (zipped)
        {
            SingleEntryZip.WriteEnd(file, _entryName, _crc.GetCurrentHashAsUInt32(), _textLength);
        }

        return new CleanPackage(zipped ? _zipName : _textName, file.Length, file.Sha256Hex(), AccountCount, zipped);
    }

    private byte[] RentBuffer() => _freeBuffers.TryTake(out var free) ? free : new byte[BufferSize];

    /// <summary>Raw deflate of one block ending in a sync flush (byte-aligned, not final), so blocks can be joined.</summary>
    private Deflated Deflate(ReadOnlySpan<byte> raw)
    {
        var buffer = RentBuffer();
        using var output = new MemoryStream(buffer);
        using (var deflate = new DeflateStream(output, Compression, leaveOpen: true))
        {
            deflate.Write(raw);
            deflate.Flush();
            return new Deflated(buffer, (int)output.Position);
        }
    }

    private sealed record Block(byte[] Raw, int Length, Task<Deflated>? Compressed, bool Last);

    private sealed record Deflated(byte[] Buffer, int Length)
    {
        public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);
    }

    /// <summary>A file written front to back whose SHA-256 is taken on the way.</summary>
    private sealed class HashingFile(string path) : IDisposable
    {
        private readonly FileStream _file = new(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long Length { get; private set; }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            _file.Write(bytes);
            _sha256.AppendData(bytes);
            Length += bytes.Length;
        }

        public string Sha256Hex() => Convert.ToHexStringLower(_sha256.GetHashAndReset());

        public void Dispose()
        {
            _file.Dispose();
            _sha256.Dispose();
        }
    }

    /// <summary>
    /// The zip format for one deflated entry written front to back: sizes and CRC follow the data in a data descriptor
    /// (general purpose flag bit 3), as every streaming zipper does. Never above 4 GiB, so never Zip64.
    /// </summary>
    private static class SingleEntryZip
    {
        private const ushort Version = 20;
        private const ushort Deflated = 8;
        private const ushort Flags = 0x0008 | 0x0800; // data descriptor follows; name is UTF-8
        private const ushort DosDate = (0 << 9) | (1 << 5) | 1; // 1980-01-01: fixed, so the same accounts give the same SHA-256
        private const int LocalHeaderSize = 30;
        private const int DescriptorSize = 16;
        private const int CentralHeaderSize = 46;
        private const int EndSize = 22;

        // The deflate stream ends with an empty final block of fixed Huffman codes: BFINAL=1, BTYPE=01, end-of-block.
        private static ReadOnlySpan<byte> FinalBlock => [0x03, 0x00];

        public static long Size(int nameLength, long deflatedLength) =>
            LocalHeaderSize + nameLength + deflatedLength + FinalBlock.Length + DescriptorSize + CentralHeaderSize + nameLength + EndSize;

        public static void WriteLocalHeader(HashingFile file, byte[] name)
        {
            Span<byte> header = stackalloc byte[LocalHeaderSize];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034B50);
            WriteEntryFields(header[4..], crc: 0, compressed: 0, uncompressed: 0, name.Length);
            file.Write(header);
            file.Write(name);
        }

        public static void WriteEnd(HashingFile file, byte[] name, uint crc, long textLength)
        {
            file.Write(FinalBlock);
            var compressed = (uint)(file.Length - LocalHeaderSize - name.Length);
            Span<byte> descriptor = stackalloc byte[DescriptorSize];
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor, 0x08074B50);
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[4..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[8..], compressed);
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[12..], (uint)textLength);
            file.Write(descriptor);

            var centralOffset = (uint)file.Length;
            Span<byte> central = stackalloc byte[CentralHeaderSize];
            central.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(central, 0x02014B50);
            BinaryPrimitives.WriteUInt16LittleEndian(central[4..], Version); // made by
            WriteEntryFields(central[6..], crc, compressed, (uint)textLength, name.Length);
            // Comment length, disk, attributes and the local header's offset (0) stay zero.
            file.Write(central);
            file.Write(name);

            Span<byte> end = stackalloc byte[EndSize];
            end.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054B50);
            BinaryPrimitives.WriteUInt16LittleEndian(end[8..], 1);
            BinaryPrimitives.WriteUInt16LittleEndian(end[10..], 1);
            BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)(file.Length - centralOffset));
            BinaryPrimitives.WriteUInt32LittleEndian(end[16..], centralOffset);
            file.Write(end);
        }

        /// <summary>The 26 bytes local and central headers share, from "version needed" to "extra field length".</summary>
        private static void WriteEntryFields(Span<byte> fields, uint crc, uint compressed, uint uncompressed, int nameLength)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fields, Version);
            BinaryPrimitives.WriteUInt16LittleEndian(fields[2..], Flags);
            BinaryPrimitives.WriteUInt16LittleEndian(fields[4..], Deflated);
            BinaryPrimitives.WriteUInt16LittleEndian(fields[6..], 0); // time 00:00
            BinaryPrimitives.WriteUInt16LittleEndian(fields[8..], DosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(fields[10..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(fields[14..], compressed);
            BinaryPrimitives.WriteUInt32LittleEndian(fields[18..], uncompressed);
            BinaryPrimitives.WriteUInt16LittleEndian(fields[22..], (ushort)nameLength);
            BinaryPrimitives.WriteUInt16LittleEndian(fields[24..], 0);
        }
    }
}
