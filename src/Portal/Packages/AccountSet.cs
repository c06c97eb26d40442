using System.Runtime.CompilerServices;

namespace Portal.Packages;

/// <summary>
/// The accounts seen so far, as 64-bit hashes in an open-addressing table (linear probing) with the line each was first
/// seen on beside it: 12 bytes a slot instead of a string per account. Two different accounts are taken for the same one
/// only if their XxHash3 values collide: for n distinct accounts that chance is about n² / 2⁶⁵ (2 in a million for the
/// 8.7 million accounts of a full 100 MB file).
/// </summary>
/// <remarks>
/// A slot is chosen by the hash's top bits, so growing keeps the slots in order and rehashing is a sequential pass.
/// Lookups come in batches: <see cref="Touch"/> loads each batch's slots first, independent loads the processor overlaps,
/// so the probes that follow find them in cache instead of waiting for memory one at a time.
/// </remarks>
internal sealed class AccountSet
{
    private const int MinCapacityBits = 12;
    private const int MaxCapacityBits = 30;
    private const int PrefaultBits = 20;

    private ulong[] _hashes;
    private uint[] _firstLines;
    private int _shift;
    private int _growAt;

    public AccountSet(long expectedCount = 0)
    {
        var bits = CapacityBitsFor(expectedCount);
        (_hashes, _firstLines, _shift, _growAt) = Allocate(bits);
    }

    public long Count { get; private set; }

    /// <summary>Sizes the table for this many accounts now, rather than by doubling on the way.</summary>
    public void Reserve(long expectedCount)
    {
        var bits = CapacityBitsFor(expectedCount);
        if (bits > 64 - _shift)
        {
            Rehash(bits);
        }
    }

    /// <summary>Loads the slot a hash would start probing at; the result only keeps the load from being optimised away.</summary>
    public ulong Touch(ulong hash)
    {
        var slot = (int)(hash >> _shift);
        return _hashes[slot] + _firstLines[slot];
    }

    /// <summary>Adds the account; false when it was already there, with the line it was first seen on.</summary>
    public bool TryAdd(ulong hash, uint line, out uint firstLine)
    {
        if (Count >= _growAt)
        {
            Rehash(65 - _shift);
        }

        hash = hash == 0 ? 1 : hash;
        var mask = _hashes.Length - 1;
        for (var slot = (int)(hash >> _shift); ; slot = (slot + 1) & mask)
        {
            var stored = _hashes[slot];
            if (stored == hash)
            {
                firstLine = _firstLines[slot];
                return false;
            }

            if (stored == 0)
            {
                _hashes[slot] = hash;
                _firstLines[slot] = line;
                Count++;
                firstLine = line;
                return true;
            }
        }
    }

    private static int CapacityBitsFor(long count)
    {
        // Keep the load at most 3/4: linear probing slows down sharply above that.
        var slots = Math.Max(count + count / 3 + 1, 1L << MinCapacityBits);
        return Math.Min(MaxCapacityBits, 64 - (int)ulong.LeadingZeroCount((ulong)slots - 1));
    }

    private static (ulong[] Hashes, uint[] Lines, int Shift, int GrowAt) Allocate(int bits)
    {
        var (hashes, lines) = (new ulong[1 << bits], new uint[1 << bits]);
        if (bits >= PrefaultBits)
        {
            // A new array's pages are only mapped when first written, one fault per 4 KiB page: some 50,000 for a
            // full-size table, 0.1 to 0.2 s when the lookups take them one by one. Here every core takes a share first.
            Parallel.For(0, Environment.ProcessorCount, part =>
            {
                Touch(hashes, part);
                Touch(lines, part);
            });
        }

        return (hashes, lines, 64 - bits, (int)((1L << bits) * 3 / 4));
    }

    /// <summary>Writes a zero into every page of one part of a brand-new (all-zero) array.</summary>
    private static void Touch<T>(T[] array, int part)
        where T : struct
    {
        var step = Environment.SystemPageSize / Unsafe.SizeOf<T>();
        for (var index = part * step; index < array.Length; index += step * Environment.ProcessorCount)
        {
            array[index] = default;
        }
    }

    private void Rehash(int bits)
    {
        var (hashes, lines) = (_hashes, _firstLines);
        (_hashes, _firstLines, _shift, _growAt) = Allocate(bits);
        var mask = _hashes.Length - 1;
        for (var old = 0; old < hashes.Length; old++)
        {
            var hash = hashes[old];
            if (hash == 0)
            {
                continue;
            }

            var slot = (int)(hash >> _shift);
            while (_hashes[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _hashes[slot] = hash;
            _firstLines[slot] = lines[old];
        }
    }
}
