using System.Globalization;

namespace Portal.Testing;

/// <summary>
/// A package generated as it is read, never all in memory: distinct 12-digit accounts, one per 13-byte line, counting up
/// from a first account (give each package its own range for packages that differ); the last line is cut short where
/// the length ends.
/// </summary>
public sealed class AccountStream : Stream
{
    private const int LineLength = 13;
    private const long AccountLimit = 1_000_000_000_000;
    private readonly long _length;
    private readonly byte[] _line = new byte[LineLength];
    private long _position;

    public AccountStream(long length, long firstAccount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegative(firstAccount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstAccount + (length / LineLength), AccountLimit - 1, nameof(firstAccount));
        _length = length;
        firstAccount.TryFormat(_line, out _, "D12", CultureInfo.InvariantCulture);
        _line[^1] = (byte)'\n';
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, _length - _position);
        for (var written = 0; written < count;)
        {
            var column = (int)(_position % LineLength);
            var take = Math.Min(LineLength - column, count - written);
            _line.AsSpan(column, take).CopyTo(buffer[written..]);
            written += take;
            _position += take;
            if (column + take == LineLength)
            {
                NextAccount();
            }
        }

        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Adds one to the decimal digits of the line in place: far cheaper than formatting each of 8 million lines.</summary>
    private void NextAccount()
    {
        for (var digit = LineLength - 2; digit >= 0 && ++_line[digit] > '9'; digit--)
        {
            _line[digit] = (byte)'0';
        }
    }
}
