using Microsoft.AspNetCore.Http;

namespace Portal.DevStack.TencentSimulator;

/// <summary>The request body as a faulty network delivers it: read slowly, or cut after some bytes (the connection is dropped).</summary>
internal sealed class FaultyRequestStream(Stream inner, SimulatorFault fault, HttpContext context) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wanted = buffer.Length;
        if (fault.ResetAfterBytes is { } limit)
        {
            if (_position >= limit)
            {
                context.Abort();
                throw new IOException($"Simulated connection reset after {limit} bytes of the request body.");
            }

            wanted = (int)Math.Min(wanted, limit - _position);
        }

        if (fault.SlowReadBytesPerSecond is { } rate)
        {
            // Ten reads a second at most, so the rate holds for small rates too.
            wanted = Math.Min(wanted, Math.Max(1, rate / 10));
        }

        var read = await inner.ReadAsync(buffer[..wanted], cancellationToken);
        _position += read;
        if (fault.SlowReadBytesPerSecond is { } bytesPerSecond && read > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)read / bytesPerSecond), cancellationToken);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the request body asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
