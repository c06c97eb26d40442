namespace Portal.Tests.Uploads;

/// <summary>
/// A package body generated as it is read (13-byte account lines, never all in memory) that does not declare its
/// length: not seekable, no Length, so HttpClient sends it chunked. It can fail with an <see cref="IOException"/> once
/// <c>failAt</c> bytes have been read, after <c>beforeFailing</c> has run.
/// </summary>
internal sealed class UndeclaredLengthStream(long length, long? failAt = null, Func<Task>? beforeFailing = null) : Stream
{
    public const string FailureMessage = "The sender's disk failed half-way through the file.";

    private long _position;

    /// <summary>Called with the number of bytes read so far, after each read.</summary>
    public Action<long>? OnRead { get; init; }

    /// <summary>The bytes handed out so far.</summary>
    public long BytesRead => _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= failAt)
        {
            beforeFailing?.Invoke().GetAwaiter().GetResult();
            throw new IOException(FailureMessage);
        }

        return Fill(buffer.AsSpan(offset, count));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_position >= failAt)
        {
            if (beforeFailing is not null)
            {
                await beforeFailing();
            }

            throw new IOException(FailureMessage);
        }

        return Fill(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Fill(Span<byte> buffer)
    {
        var end = Math.Min(length, failAt ?? long.MaxValue);
        var count = (int)Math.Min(buffer.Length, end - _position);
        for (var i = 0; i < count; i++)
        {
            var column = (_position + i) % 13;
            buffer[i] = column == 12 ? (byte)'\n' : (byte)('a' + ((_position + i) / 13 + column) % 26);
        }

        _position += count;
        OnRead?.Invoke(_position);
        return count;
    }
}
