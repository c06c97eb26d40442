namespace Portal.Audit;

/// <summary>Who did something, as the identity provider named them.</summary>
public sealed record AuditActor(string Id, string Name)
{
    /// <summary>The portal itself (the send worker, start-up recovery, retention purge).</summary>
    public static readonly AuditActor System = new("system", "Portal");
}
