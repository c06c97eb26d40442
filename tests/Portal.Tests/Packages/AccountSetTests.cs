using Portal.Packages;

namespace Portal.Tests.Packages;

public sealed class AccountSetTests
{
    [Fact]
    public void Growing_keeps_every_account()
    {
        using var accounts = new AccountSet();
        var hashes = Hashes(300_000);

        Assert.Equal(hashes.Length, hashes.Count(accounts.TryAdd));
        Assert.Equal(0, hashes.Count(accounts.TryAdd));
        Assert.Equal(hashes.Length, accounts.Count);
    }

    [Fact]
    public void Reserving_between_adds_keeps_every_account()
    {
        using var accounts = new AccountSet();
        var hashes = Hashes(200_000);
        Assert.Equal(1000, hashes[..1000].Count(accounts.TryAdd));

        accounts.Reserve(hashes.Length);

        Assert.Equal(0, hashes[..1000].Count(accounts.TryAdd));
        Assert.Equal(hashes.Length - 1000, hashes[1000..].Count(accounts.TryAdd));
        Assert.Equal(hashes.Length, accounts.Count);
    }

    [Fact]
    public void Hashes_at_either_end_of_the_range_wrap_around_the_table()
    {
        using var accounts = new AccountSet();
        ulong[] hashes = [ulong.MaxValue, ulong.MaxValue - 1, ulong.MaxValue - 2, 1, 2];

        Assert.Equal(hashes.Length, hashes.Count(accounts.TryAdd));
        Assert.Equal(0, hashes.Count(accounts.TryAdd));
    }

    [Fact]
    public void No_account_hashes_to_the_empty_slot()
    {
        Assert.NotEqual(0UL, AccountSet.Hash("alice"u8));
        Assert.Equal(AccountSet.Hash("alice"u8), AccountSet.Hash("alice"u8));
    }

    /// <summary>The hashes of as many different accounts, spread over the whole range as real ones are.</summary>
    private static ulong[] Hashes(int count) => Enumerable.Range(0, count).Select(i => AccountSet.Hash(BitConverter.GetBytes(i))).ToArray();
}
