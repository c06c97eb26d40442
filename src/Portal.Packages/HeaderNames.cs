using System.Text;
using System.Text.Unicode;

namespace Portal.Packages;

/// <summary>
/// The names people and CRM exports give an account column, to tell a header row from data: compared without case,
/// quotes, spaces, '_', '-' and '.', so <c>Account ID</c>, <c>account_id</c> and <c>AccountId</c> are one name.
/// </summary>
internal static class HeaderNames
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "account", "accounts", "accountid", "accountname", "acct", "openid", "unionid", "userid", "user", "username", "uid", "id",
        "email", "emailaddress", "mail", "phone", "mobile", "phonenumber", "msisdn", "token", "tokens", "devicetoken", "pushtoken",
        "customerid", "memberid", "contactid",
        "账号", "帐号", "账户", "帐户", "用户", "用户id", "用户名", "用户账号", "用户帐号", "会员id", "客户id", "手机", "手机号", "手机号码", "邮箱",
        "电子邮件", "设备token", "令牌",
    };

    /// <summary>Row 1 as text: UTF-8, or else GB18030 read strictly; null when it is neither.</summary>
    public static string? Decode(ReadOnlySpan<byte> row)
    {
        if (Utf8.IsValid(row))
        {
            return Encoding.UTF8.GetString(row);
        }

        try
        {
            return TextSource.StrictGb18030.Value.GetString(row);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    public static bool IsHeaderName(string field)
    {
        var name = new StringBuilder(field.Length);
        foreach (var c in field)
        {
            if (!(char.IsWhiteSpace(c) || c is '_' or '-' or '.' or '"' or '\'' or '\uFEFF'))
            {
                name.Append(char.ToLowerInvariant(c));
            }
        }

        return Names.Contains(name.ToString());
    }
}
