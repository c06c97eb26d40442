using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Audit;

/// <summary>Names the kind under which an event type is stored in <c>audit_events.kind</c>; each kind is declared once, here.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AuditKindAttribute(string kind) : Attribute
{
    public string Kind { get; } = kind;
}

/// <summary>
/// What an event says, typed: each kind of event is a record whose JSON (web casing) is the event's stored data. Two
/// families: <see cref="Uploads.UploadEvent"/> moves an upload through its life and changes its state;
/// <see cref="ActivityEvent"/> records what people or the portal did without changing any upload's state.
/// </summary>
public abstract record AuditEventData
{
    private static readonly Dictionary<Type, string> KindsByType = typeof(AuditEventData).Assembly.GetTypes()
        .Where(type => type.IsSubclassOf(typeof(AuditEventData)) && !type.IsAbstract)
        .ToDictionary(type => type, type => type.GetCustomAttribute<AuditKindAttribute>()?.Kind
            ?? throw new InvalidOperationException($"{type.Name} needs an [AuditKind] attribute."));

    private static readonly Dictionary<string, Type> TypesByKind = KindsByType.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Readable in the sqlite3 shell; the chain covers the exact stored text, so any stable encoding will do.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [JsonIgnore]
    public string Kind => KindsByType[GetType()];

    /// <summary>Every kind there is, for filters.</summary>
    public static IReadOnlyCollection<string> Kinds => TypesByKind.Keys;

    public static string KindOf<T>()
        where T : AuditEventData => KindsByType[typeof(T)];

    /// <summary>The stored data: canonical JSON of the record.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, GetType(), Json);

    /// <summary>The typed event behind a stored kind and data; null for a kind this version does not know.</summary>
    public static AuditEventData? Parse(string kind, string data) =>
        TypesByKind.TryGetValue(kind, out var type) ? (AuditEventData?)JsonSerializer.Deserialize(data, type, Json) : null;
}

/// <summary>Something people or the portal did that is worth recording but changes no upload's state.</summary>
public abstract record ActivityEvent : AuditEventData;

/// <summary>An auditor exported the audit log; <c>Filter</c> says which view.</summary>
[AuditKind("audit-exported")]
public sealed record AuditExported(string Format, string Filter) : ActivityEvent;

/// <summary>Someone verified the trail; the chain head it saw can be compared with a copy kept elsewhere.</summary>
[AuditKind("integrity-verified")]
public sealed record IntegrityVerified(bool Intact, long EventsChecked, string? Problem, long? LastSeq, string? LastChain) : ActivityEvent;

[AuditKind("signed-in")]
public sealed record SignedIn(IReadOnlyList<string> Roles, string? ClientIp) : ActivityEvent;

[AuditKind("signed-out")]
public sealed record SignedOut : ActivityEvent;

/// <summary>An auditor ended someone's session.</summary>
[AuditKind("session-ended")]
public sealed record SessionEnded(string UserId, string UserName, DateTime StartedAt) : ActivityEvent;
