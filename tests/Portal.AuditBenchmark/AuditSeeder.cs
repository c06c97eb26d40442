using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Portal.Audit;
using Portal.Data;
using Portal.Uploads;

/// <summary>
/// Writes a realistic trail fast: uploads over a year from 500 users on 5 apps, six events each on average, chained
/// exactly as the portal chains them (so "Verify integrity" passes), with prepared statements in large transactions, on
/// either store; on PostgreSQL the chain head row is set at the end and the planner's statistics gathered.
/// </summary>
internal static class AuditSeeder
{
    public static async Task<long> SeedAsync(PortalDatabase database, AuditChain chain, int uploads)
    {
        await using var connection = await database.OpenAsync();
        using (var durability = connection.CreateCommand())
        {
            durability.CommandText = database.Sql("PRAGMA synchronous = OFF;", "SET synchronous_commit = off;");
            durability.ExecuteNonQuery();
        }

        var random = new Random(20261125);
        var start = new DateTime(2025, 11, 25, 0, 0, 0, DateTimeKind.Utc);
        var step = TimeSpan.FromDays(365).Ticks / uploads;
        string[] apps = ["Spring campaign", "Loyalty", "Android main", "iOS main", "Partners"];
        var previous = AuditChain.Genesis;
        long seq = 0, tencentId = 100_000;
        DbTransaction? transaction = null;
        DbCommand? insertUpload = null, insertEvent = null, insertState = null;

        for (var i = 0; i < uploads; i++)
        {
            if (i % 50_000 == 0)
            {
                if (transaction is not null)
                {
                    await transaction.CommitAsync();
                }

                transaction = await connection.BeginTransactionAsync();
                insertUpload = Command(connection, transaction, UploadRecord.Columns.Insert("uploads"), [.. UploadRecord.Columns.Select(c => "@" + c.Property)]);
                insertEvent = Command(connection, transaction, """
                    INSERT INTO audit_events (seq, occurred_at, kind, actor_id, actor_name, upload_id, data, chain)
                    VALUES (@seq, @at, @kind, @actor, @name, @upload, @data, @chain)
                    """, "@seq", "@at", "@kind", "@actor", "@name", "@upload", "@data", "@chain");
                insertState = Command(connection, transaction, UploadState.Upsert, ["@UploadId", .. UploadState.Columns.Select(c => "@" + c.Property)]);
            }

            var user = random.Next(500);
            var rows = random.Next(2, 8_000_000);
            var upload = new UploadRecord
            {
                Id = Guid.NewGuid(),
                ReceivedAt = start.AddTicks(step * i),
                UserId = $"user-{user}",
                UserName = $"User {user}",
                UserEmail = $"user{user}@example.com",
                UserIssuer = "https://login.example.com/",
                ClientIp = "10.1.2.3",
                UserAgent = "Mozilla/5.0",
                TencentApp = apps[random.Next(apps.Length)],
                TencentRegion = "Guangzhou",
                PackageKind = random.Next(20) == 0 ? "Token" : "Account",
                FileName = $"campaign-{random.Next(1_000_000):D6}-{i}.txt",
                FileSize = random.Next(100, 100_000_000),
                Sha256 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                RowCount = rows,
                ValidCount = rows,
                InvalidCount = 0,
                DuplicateCount = 0,
                OriginalSendable = true,
                ValidationSummary = "accounts, no problems",
                ValidationMs = 40,
                HeaderRow = false,
                BlankRowCount = 0,
            };
            Run(insertUpload!, [.. UploadRecord.Columns.Select(c => c.Value(upload))]);

            // 90 % sent, 5 % failed, 3 % rejected, 2 % interrupted; one extra event (a download or a sign-in) per upload,
            // and a second one for 12 % of the sent ones, which makes six events per upload on average.
            var send = new SendConfirmed(SendVariant.Original, upload.Sha256, upload.FileSize, rows);
            var validation = (upload.ValidationSummary, upload.ValidationMs);
            var roll = random.Next(100);
            AuditEventData[] events = roll switch
            {
                < 3 => [new UploadRejected(validation.ValidationSummary, 40), new SignedIn(["Uploader"], null)],
                < 8 => [new UploadValidated(validation.ValidationSummary, 40), send, new SendStarted(1),
                    new SendFailed(null, 1008004, "invoke service error", 200, "Tencent Push failed internally", 900, false), new ProblemReportDownloaded()],
                < 10 => [new UploadValidated(validation.ValidationSummary, 40), send, new SendStarted(1),
                    new SendInterrupted(null, null, null, null, "Interrupted: the portal stopped while sending it.", 900, true), new SignedIn(["Uploader"], null)],
                < 21 => [new UploadValidated(validation.ValidationSummary, 40), send, new SendStarted(1),
                    new SendSucceeded(++tencentId, 0, "", 200, null, 900, false), new SentFileDownloaded(SendVariant.Original), new SignedIn(["Uploader"], null)],
                _ => [new UploadValidated(validation.ValidationSummary, 40), send, new SendStarted(1),
                    new SendSucceeded(++tencentId, 0, "", 200, null, 900, false), random.Next(2) == 0 ? new SignedIn(["Uploader"], null) : new ProblemReportDownloaded()],
            };

            var state = new UploadState();
            foreach (var e in events.Prepend(new UploadReceived(upload.Fingerprint(UploadRecord.FingerprintVersion))))
            {
                seq++;
                var at = DbFormat.Timestamp(upload.ReceivedAt);
                var eventUpload = e is SignedIn ? null : DbFormat.Key(upload.Id);
                var data = e.ToJson();
                previous = chain.Link(previous, seq, at, e.Kind, upload.UserId, upload.UserName, eventUpload, data);
                Run(insertEvent!, seq, at, e.Kind, upload.UserId, upload.UserName, eventUpload, data, previous);
                if (e is UploadEvent life)
                {
                    state = state.Apply(life, seq, upload.ReceivedAt);
                }
            }

            Run(insertState!, [DbFormat.Key(upload.Id), .. UploadState.Columns.Select(c => c.Value(state))]);
        }

        if (database.Provider == StorageProvider.PostgreSql)
        {
            var head = Command(connection, transaction!, "UPDATE audit_chain_head SET seq = @seq, chain = @chain", "@seq", "@chain");
            Run(head, seq, previous);
        }

        await transaction!.CommitAsync();
        if (database.Provider == StorageProvider.PostgreSql)
        {
            using var analyze = connection.CreateCommand();
            analyze.CommandText = "VACUUM ANALYZE";
            analyze.CommandTimeout = 0;
            await analyze.ExecuteNonQueryAsync();
        }

        return seq;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        // SQLite prepares now; Npgsql prepares a statement once it has seen its parameters' types (Max Auto Prepare).
        if (connection is Microsoft.Data.Sqlite.SqliteConnection)
        {
            command.Prepare();
        }

        return command;
    }

    private static void Run(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                IFormattable f when values[i] is not (long or int or bool) => f.ToString(null, CultureInfo.InvariantCulture),
                var v => v,
            };
        }

        command.ExecuteNonQuery();
    }
}
