using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Portal.Audit;
using Portal.Data;

/// <summary>
/// Writes a realistic trail fast: uploads over a year from 500 users on 5 apps, six events each on average, chained
/// exactly as the portal chains them (so "Verify integrity" passes), with prepared statements in large transactions.
/// </summary>
internal static class AuditSeeder
{
    public static async Task<long> SeedAsync(SqliteConnectionFactory connections, AuditChain chain, int uploads)
    {
        await using var connection = await connections.OpenAsync();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = OFF;";
            pragma.ExecuteNonQuery();
        }

        var random = new Random(20261125);
        var start = new DateTime(2025, 11, 25, 0, 0, 0, DateTimeKind.Utc);
        var step = TimeSpan.FromDays(365).Ticks / uploads;
        string[] apps = ["Spring campaign", "Loyalty", "Android main", "iOS main", "Partners"];
        var previous = AuditChain.Genesis;
        long seq = 0, tencentId = 100_000;
        SqliteTransaction? transaction = null;
        SqliteCommand? insertUpload = null, insertEvent = null, insertState = null;

        for (var i = 0; i < uploads; i++)
        {
            if (i % 50_000 == 0)
            {
                if (transaction is not null)
                {
                    await transaction.CommitAsync();
                }

                transaction = connection.BeginTransaction();
                insertUpload = Command(connection, transaction, """
                    INSERT INTO uploads VALUES ($id, $at, $user, $name, $email, 'https://login.example.com/', '10.1.2.3', 'Mozilla/5.0', $app, 'Guangzhou',
                        $kind, $file, $size, $sha, $rows, $rows, 0, 0, 1, NULL, NULL, NULL, NULL, $summary, 40)
                    """, "$id", "$at", "$user", "$name", "$email", "$app", "$kind", "$file", "$size", "$sha", "$rows", "$summary");
                insertEvent = Command(connection, transaction, """
                    INSERT INTO audit_events (seq, occurred_at, kind, actor_id, actor_name, upload_id, data, chain)
                    VALUES ($seq, $at, $kind, $actor, $name, $upload, $data, $chain)
                    """, "$seq", "$at", "$kind", "$actor", "$name", "$upload", "$data", "$chain");
                insertState = Command(connection, transaction, """
                    INSERT INTO upload_state (upload_id, received_at, status, last_seq, attempts, sent_variant, sent_sha256, sent_size, sent_accounts,
                        tencent_upload_id, ret_code, http_status, message, send_ms)
                    VALUES ($id, $at, $status, $seq, $attempts, $variant, $sha, $size, $rows, $tencent, $ret, 200, $message, 900)
                    """, "$id", "$at", "$status", "$seq", "$attempts", "$variant", "$sha", "$size", "$rows", "$tencent", "$ret", "$message");
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
            };
            var id = DbFormat.Key(upload.Id);
            var at = DbFormat.Timestamp(upload.ReceivedAt);
            Run(insertUpload!, id, at, upload.UserId, upload.UserName, upload.UserEmail, upload.TencentApp, upload.PackageKind, upload.FileName,
                upload.FileSize, upload.Sha256, upload.RowCount, upload.ValidationSummary);

            // 90 % sent, 5 % failed, 3 % rejected, 2 % interrupted; one extra event (a download or a sign-in) per upload,
            // and a second one for 12 % of the sent ones, which makes six events per upload on average.
            var roll = random.Next(100);
            var (status, kinds) = roll switch
            {
                < 3 => ("rejected", new[] { "received", "rejected", "signed-in" }),
                < 8 => ("failed", new[] { "received", "validated", "confirmed", "sending", "failed", "problem-report-downloaded" }),
                < 10 => ("interrupted", new[] { "received", "validated", "confirmed", "sending", "interrupted", "signed-in" }),
                < 21 => ("sent", new[] { "received", "validated", "confirmed", "sending", "sent", "sent-file-downloaded", "signed-in" }),
                _ => ("sent", new[] { "received", "validated", "confirmed", "sending", "sent", random.Next(2) == 0 ? "signed-in" : "problem-report-downloaded" }),
            };
            long? tencent = status == "sent" ? ++tencentId : null;
            long statusSeq = 0;
            foreach (var kind in kinds)
            {
                seq++;
                var data = kind switch
                {
                    "received" => $$"""{"fingerprint":"{{AuditChain.Fingerprint(upload)}}"}""",
                    "sent" => $$"""{"tencentUploadId":{{tencent}},"retCode":0,"httpStatus":200,"durationMs":900}""",
                    "failed" => """{"retCode":1008004,"errMsg":"invoke service error","httpStatus":200}""",
                    _ => "{}",
                };
                var eventUpload = kind == "signed-in" ? null : id;
                previous = chain.Link(previous, seq, at, kind, upload.UserId, upload.UserName, eventUpload, data);
                Run(insertEvent!, seq, at, kind, upload.UserId, upload.UserName, eventUpload, data, previous);
                if (AuditEventKinds.SetsStatus(kind))
                {
                    statusSeq = seq;
                }
            }

            Run(insertState!, id, at, status, statusSeq, status == "rejected" ? 0 : 1, status == "rejected" ? null : "original",
                upload.Sha256, upload.FileSize, upload.RowCount, tencent, status == "failed" ? (int?)1008004 : null,
                status == "failed" ? "Tencent Push failed internally" : null);
        }

        await transaction!.CommitAsync();
        return seq;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                IFormattable f when values[i] is not long and not int => f.ToString(null, CultureInfo.InvariantCulture),
                var v => v,
            };
        }

        command.ExecuteNonQuery();
    }
}
