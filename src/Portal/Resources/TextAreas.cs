namespace Portal.Resources;

// One marker class per area of the portal, each with its own resource files (Name.resx in English, Name.zh-CN.resx in
// Simplified Chinese), so that people translating different areas never edit the same file. Read them through
// IStringLocalizer<Name>; a count goes through PluralText.Plural, with keys Key_one and Key_other.

/// <summary>The layout, navigation, home page, error pages, and the shared formats of numbers, sizes and times.</summary>
public sealed class CommonText;

/// <summary>The upload page, My uploads, an upload's page, the send status and the validation report.</summary>
public sealed class UploadsText;

/// <summary>What the validator finds, by <c>ProblemReason</c> and <c>WarningKind</c> with their arguments.</summary>
public sealed class PackagesText;

/// <summary>Tencent Push's answers and retCodes, and what to do about them.</summary>
public sealed class TencentText;

/// <summary>Sign-in, sign-out, access denied and the active sessions page.</summary>
public sealed class AuthText;

/// <summary>The audit log, the dashboard and the integrity check (src/Portal/Audit).</summary>
public sealed class AuditText;

/// <summary>MudBlazor's own texts (see <c>PortalMudLocalizer</c>); English comes with MudBlazor, so only other languages have a file.</summary>
public sealed class MudBlazorText;
