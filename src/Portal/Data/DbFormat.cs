using System.Data;
using System.Globalization;
using Dapper;

namespace Portal.Data;

/// <summary>How ids and times are stored, and the Dapper handlers that read them back. Registered once, before any query.</summary>
public static class DbFormat
{
    static DbFormat()
    {
        SqlMapper.AddTypeHandler(new GuidAsHexHandler());
        SqlMapper.AddTypeHandler(new UtcDateTimeHandler());
    }

    /// <summary>Ids are stored as 32 lower-case hex digits, readable and searchable in the sqlite3 shell.</summary>
    public static string Key(Guid id) => id.ToString("N");

    /// <summary>Times are stored as UTC ISO 8601 text, which sorts in time order.</summary>
    public static string Timestamp(DateTime time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Runs the static constructor (registers the handlers); called by <see cref="PortalDatabase"/>.</summary>
    internal static void EnsureRegistered()
    {
    }

    // Dapper binds Guid and DateTime parameters itself, ignoring these handlers: writers pass Key(...) and Timestamp(...).
    private sealed class GuidAsHexHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value) => parameter.Value = Key(value);

        public override Guid Parse(object value) => Guid.ParseExact((string)value, "N");
    }

    private sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(IDbDataParameter parameter, DateTime value) => parameter.Value = Timestamp(value);

        public override DateTime Parse(object value) =>
            DateTime.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }
}
