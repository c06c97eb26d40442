using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Portal.Packages;

/// <summary>
/// The accounts seen so far, as 64-bit hashes in an open-addressing table (linear probing): 8 bytes a slot instead of a
/// string per account. Two different accounts are taken for the same one only if their XxHash3 values collide: for n
/// distinct accounts that chance is about n² / 2⁶⁵ (2 in a million for the 8.7 million accounts of a full 100 MB file).
/// The line an account was first seen on is not kept (it would cost half as much again): for the few duplicates a report
/// lists, <see cref="FirstLineFinder"/> finds it in a second pass.
/// </summary>
/// <remarks>
/// <para>The table is native memory, handed back to the system by <see cref="Dispose"/> as soon as a validation ends: a
/// managed array of up to 250 MB would stay with the process until the next full collection, in a server that validates
/// one package after another. The price is that every table's pages are new to the process and must be mapped again. So
/// on Linux a large table asks for 2 MiB pages (madvise; granted where transparent huge pages are not turned off), which
/// takes some fifty page faults rather than 25,000 for a 100 MB file, and spares the random lookups most of their TLB
/// misses. Measured in a VM whose host takes freed memory back: 0.6 to 1 s to map a 100 MB table in 4 KiB pages, 10 to
/// 120 ms in 2 MiB pages.</para>
/// <para>A slot is chosen by scaling the hash to the table size (the high half of hash × capacity), which needs no
/// power-of-two size, so the table is sized to the expected count rather than to the next power of two; it also keeps the
/// slots in hash order, so growing rehashes in one sequential pass. Lookups come in batches: <see cref="Touch"/> starts
/// loading each batch's slots first, independent loads the processor overlaps, so the probes that follow find them in
/// cache instead of waiting for memory one at a time.</para>
/// </remarks>
internal sealed unsafe partial class AccountSet : IDisposable
{
    private const int MinCapacity = 1 << 12;
    private const nuint HugePageSize = 2 << 20;

    // MADV_HUGEPAGE, from Linux's <sys/mman.h>.
    private const int MadviseHugePage = 14;

    private ulong* _slots;
    private int _capacity;
    private int _growAt;

    public AccountSet() => Allocate(MinCapacity);

    public long Count { get; private set; }

    /// <summary>An account's key: its XxHash3, never 0 (which marks an empty slot). Both passes take it from here.</summary>
    public static ulong Hash(ReadOnlySpan<byte> account) => XxHash3.HashToUInt64(account) is var hash and not 0 ? hash : 1;

    /// <summary>Sizes the table for this many accounts now, rather than by doubling on the way.</summary>
    public void Reserve(long expectedCount)
    {
        // Two thirds full at the expected count, so a count up to an eighth above the estimate still fits without growing.
        var capacity = (int)Math.Max(expectedCount + expectedCount / 2, MinCapacity);
        if (capacity > _capacity)
        {
            Rehash(capacity);
        }
    }

    /// <summary>
    /// Starts loading the slot a hash would start probing at, without waiting for it: a prefetch where the processor has
    /// one (x86), a plain load elsewhere, whose result only keeps it from being optimised away.
    /// </summary>
    public ulong Touch(ulong hash)
    {
        var slot = _slots + SlotOf(hash);
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(slot);
            return 0;
        }

        return *slot;
    }

    /// <summary>Adds the account by its <see cref="Hash"/>; false when it was already there.</summary>
    public bool TryAdd(ulong hash)
    {
        if (Count >= _growAt)
        {
            Rehash(_capacity * 2);
        }

        for (var slot = SlotOf(hash); ; slot = slot + 1 == _capacity ? 0 : slot + 1)
        {
            var stored = _slots[slot];
            if (stored == hash)
            {
                return false;
            }

            if (stored == 0)
            {
                _slots[slot] = hash;
                Count++;
                return true;
            }
        }
    }

    /// <summary>Frees the table: its memory goes back to the system now.</summary>
    public void Dispose()
    {
        NativeMemory.AlignedFree(_slots);
        _slots = null;
    }

    private int SlotOf(ulong hash) => (int)Math.BigMul(hash, (ulong)_capacity, out _);

    private void Allocate(int capacity)
    {
        var bytes = (nuint)capacity * sizeof(ulong);
        var hugePages = bytes >= HugePageSize;
        var size = hugePages ? (bytes + HugePageSize - 1) / HugePageSize * HugePageSize : bytes;
        _slots = (ulong*)NativeMemory.AlignedAlloc(size, hugePages ? HugePageSize : 64);
        if (hugePages && OperatingSystem.IsLinux())
        {
            AskForHugePages(_slots, size);
        }

        // Zeroing also maps every page now, before the lookups need them.
        NativeMemory.Clear(_slots, bytes);
        _capacity = capacity;

        // Keep the load at most 3/4: linear probing slows down sharply above that.
        _growAt = (int)(capacity * 3L / 4);
    }

    private void Rehash(int capacity)
    {
        var old = _slots;
        var oldCapacity = _capacity;
        Allocate(capacity);
        for (var index = 0; index < oldCapacity; index++)
        {
            var hash = old[index];
            if (hash == 0)
            {
                continue;
            }

            var slot = SlotOf(hash);
            while (_slots[slot] != 0)
            {
                slot = slot + 1 == _capacity ? 0 : slot + 1;
            }

            _slots[slot] = hash;
        }

        NativeMemory.AlignedFree(old);
    }

    /// <summary>Best effort: without huge pages (refused, or a C library by another name) the table works all the same, only slower.</summary>
    private static void AskForHugePages(void* address, nuint size)
    {
        try
        {
            _ = Madvise(address, size, MadviseHugePage);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
