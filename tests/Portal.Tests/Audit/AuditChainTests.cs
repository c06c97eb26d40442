using Portal.Audit;

namespace Portal.Tests.Audit;

/// <summary>What the HMAC link of an event covers: every input, each on its own.</summary>
public sealed class AuditChainTests
{
    private static readonly AuditChain Chain = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    /// <summary>The inputs of <see cref="AuditChain.Link"/>, one field per parameter.</summary>
    public sealed record LinkInput(string PreviousLink, long Seq, string OccurredAt, string Kind, string ActorId, string ActorName, string? UploadId, string Data)
    {
        public string LinkWith(AuditChain chain) => chain.Link(PreviousLink, Seq, OccurredAt, Kind, ActorId, ActorName, UploadId, Data);
    }

    private static readonly LinkInput Event = new(
        "3f1c9a5e0b7d2468ace013579bdf2468ace013579bdf2468ace013579bdf2468",
        7,
        "2026-03-01T08:00:05.0000000Z",
        "sent",
        "dev-mia",
        "Mia Marketing",
        "0b6a3e5f9c2d4e7a8b1c0d2e3f4a5b6c",
        """{"tencentUploadId":4242,"retCode":0}""");

    public static TheoryData<string> Inputs => new() { "previousLink", "seq", "occurredAt", "kind", "actorId", "actorName", "uploadId", "uploadId absent", "data" };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Changing_any_single_input_changes_the_link(string input)
    {
        var changed = input switch
        {
            "previousLink" => Event with { PreviousLink = AuditChain.Genesis },
            "seq" => Event with { Seq = 8 },
            "occurredAt" => Event with { OccurredAt = "2026-03-01T08:00:06.0000000Z" },
            "kind" => Event with { Kind = "failed" },
            "actorId" => Event with { ActorId = "dev-olivia" },
            "actorName" => Event with { ActorName = "Olivia Owner" },
            "uploadId" => Event with { UploadId = "9f8e7d6c5b4a39281706f5e4d3c2b1a0" },
            "uploadId absent" => Event with { UploadId = null },
            "data" => Event with { Data = """{"tencentUploadId":9999,"retCode":0}""" },
            _ => throw new ArgumentOutOfRangeException(nameof(input), input, null),
        };

        Assert.Equal(Event.LinkWith(Chain), Event.LinkWith(Chain));
        Assert.NotEqual(Event.LinkWith(Chain), changed.LinkWith(Chain));
    }

    [Fact]
    public void Moving_text_across_a_field_boundary_changes_the_link()
    {
        // Both would be "dev-mia\nMia\nMarketing\n" if the fields were only joined by line breaks: the length prefixes keep them apart.
        var one = Event with { ActorId = "dev-mia\nMia", ActorName = "Marketing" };
        var other = Event with { ActorId = "dev-mia", ActorName = "Mia\nMarketing" };

        Assert.NotEqual(one.LinkWith(Chain), other.LinkWith(Chain));
    }

    [Fact]
    public void The_link_depends_on_the_key()
    {
        var otherKey = new AuditChain(Enumerable.Range(2, 32).Select(i => (byte)i).ToArray());

        Assert.NotEqual(Event.LinkWith(Chain), Event.LinkWith(otherKey));
        Assert.Matches("^[0-9a-f]{64}$", Event.LinkWith(Chain));
    }
}
