using System.Text;
using Portal.Packages;

namespace Portal.Tests.Packages;

/// <summary>
/// Validating a package as it arrives: progress, cancellation, and the limits decided on what was read. (That an arriving
/// package gets the same outcome as a staged one, byte for byte, every test here checks through <see cref="PackageWorkspace"/>.)
/// </summary>
public sealed class ArrivingContentTests : IDisposable
{
    private const int MiB = 1 << 20;

    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    public static TheoryData<string, bool> ProgressCases => new()
    {
        { "accounts.txt", false },
        { "accounts.txt", true },
        { "accounts.zip", false },
    };

    [Theory]
    [MemberData(nameof(ProgressCases))]
    public void Progress_rises_a_mebibyte_at_a_time_and_ends_at_the_length(string fileName, bool arriving)
    {
        var text = PackageWorkspace.Rows(400_000);
        var content = fileName.EndsWith(".zip", StringComparison.Ordinal) ? PackageWorkspace.Zip(("accounts.txt", text)) : text;
        var progress = new Recorder();
        using var stream = new MemoryStream(content);
        using var trickle = new ArrivingStream(content, seed: 1);
        var packageContent = arriving ? PackageContent.Arriving(trickle, trickle.OpenReceived, content.Length) : PackageContent.Seekable(stream);

        PackageValidator.Validate(new ValidationRequest(fileName), packageContent, _workspace.Outputs, progress);

        // A zip's progress counts its data file unpacked, of the size the archive declares for it.
        var reports = progress.Reports;
        Assert.Equal(new ValidationProgress(text.Length, text.Length), reports[^1]);
        Assert.All(reports, report => Assert.Equal(text.Length, report.ExpectedBytes));
        var steps = reports.Zip(reports.Skip(1), (before, after) => after.BytesRead - before.BytesRead).ToList();
        Assert.All(steps[..^1], step => Assert.InRange(step, MiB, 2 * MiB));
        Assert.InRange(steps[^1], 1, 2 * MiB);
        Assert.InRange(reports.Count, text.Length / (2 * MiB), text.Length / MiB + 1);
    }

    [Fact]
    public void Progress_of_a_stream_of_unknown_length_expects_nothing()
    {
        var content = PackageWorkspace.Rows(200_000);
        var progress = new Recorder();
        using var trickle = new ArrivingStream(content, seed: 2);

        PackageValidator.Validate(new ValidationRequest("accounts.txt"), PackageContent.Arriving(trickle, trickle.OpenReceived), _workspace.Outputs, progress);

        Assert.All(progress.Reports, report => Assert.Null(report.ExpectedBytes));
        Assert.Equal(content.Length, progress.Reports[^1].BytesRead);
    }

    [Fact]
    public void Cancelling_while_reading_leaves_neither_clean_package_nor_problem_report()
    {
        // A blank first row: the clean package is written from the start, and the problem report has a row.
        var content = PackageWorkspace.Rows(500_000, first: "\n");
        using var cancellation = new CancellationTokenSource();
        var problemReportWhenCancelled = false;
        using var trickle = new ArrivingStream(content, seed: 3)
        {
            Delivered = delivered =>
            {
                if (delivered >= 3 * MiB && !cancellation.IsCancellationRequested)
                {
                    problemReportWhenCancelled = File.Exists(_workspace.ProblemReportPath);
                    cancellation.Cancel();
                }
            },
        };

        Assert.ThrowsAny<OperationCanceledException>(() =>
            PackageValidator.Validate(new ValidationRequest("accounts.txt"), PackageContent.Arriving(trickle, trickle.OpenReceived), _workspace.Outputs, cancellationToken: cancellation.Token));

        Assert.True(problemReportWhenCancelled);
        Assert.False(File.Exists(_workspace.ProblemReportPath));
        Assert.False(File.Exists(_workspace.CleanPath));
    }

    [Fact]
    public void Cancelling_during_the_second_pass_leaves_nothing_either()
    {
        // The duplicate comes last: the original is read again for the clean package's prefix, then for its first line.
        var content = PackageWorkspace.Rows(300_000, last: "user0000007\n");
        using var cancellation = new CancellationTokenSource();
        var openings = 0;
        using var trickle = new ArrivingStream(content, seed: 4);
        Stream OpenAgain()
        {
            if (++openings == 2)
            {
                cancellation.Cancel();
            }

            return trickle.OpenReceived();
        }

        Assert.ThrowsAny<OperationCanceledException>(() =>
            PackageValidator.Validate(new ValidationRequest("accounts.txt"), PackageContent.Arriving(trickle, OpenAgain), _workspace.Outputs, cancellationToken: cancellation.Token));

        Assert.Equal(2, openings);
        Assert.False(File.Exists(_workspace.ProblemReportPath));
        Assert.False(File.Exists(_workspace.CleanPath));
    }

    [Fact]
    public void A_stream_past_the_limit_is_too_large_whatever_its_rows_held()
    {
        var content = new byte[PackageRules.MaxPackageBytes + 1];
        content.AsSpan().Fill((byte)'7');
        "x\nab\nab\n"u8.CopyTo(content);

        // Validated staged (its length known at once) and arriving (read up to the limit, then counted to its end) alike.
        var result = _workspace.Validate("accounts.txt", content);

        Assert.Equal((ProblemReason.FileTooLarge, "'accounts.txt' is 104,857,601 bytes; Tencent accepts at most 104,857,600 bytes (100 MB)."),
            (result.SingleProblem.Reason, result.SingleProblem.Message));
        Assert.Equal((0L, 0L, 0), (result.Report.RowCount, result.Report.DuplicateCount, result.Report.Duplicates.Count));
        Assert.Null(result.CleanBytes);
        Assert.Equal([",,\"'accounts.txt' is 104,857,601 bytes; Tencent accepts at most 104,857,600 bytes (100 MB).\""], result.ProblemReportRows);
    }

    [Fact]
    public void A_zip_must_be_staged_in_full()
    {
        using var trickle = new ArrivingStream(PackageWorkspace.Zip(("accounts.txt", "alice\n")), seed: 5);

        var exception = Assert.Throws<ArgumentException>(() =>
            PackageValidator.Validate(new ValidationRequest("accounts.zip"), PackageContent.Arriving(trickle, trickle.OpenReceived), _workspace.Outputs));

        Assert.Equal("content", exception.ParamName);
        Assert.False(File.Exists(_workspace.ProblemReportPath));
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_not_taken_for_a_staged_file()
    {
        using var trickle = new ArrivingStream("alice\n"u8.ToArray(), seed: 6);

        Assert.Throws<ArgumentException>(() => PackageValidator.Validate(new ValidationRequest("accounts.txt"), trickle, _workspace.Outputs));
    }

    [Fact]
    public void A_file_on_disk_is_validated_as_its_stream()
    {
        var content = Encoding.UTF8.GetBytes("alice\nb\nalice\n");
        var path = Path.Combine(Path.GetDirectoryName(_workspace.CleanPath)!, "accounts.txt");
        File.WriteAllBytes(path, content);

        var fromFile = PackageValidator.Validate(new ValidationRequest("accounts.txt"), path, _workspace.Outputs);

        var fromStream = _workspace.Validate("accounts.txt", content).Report;
        Assert.Equal(fromStream.Summary, fromFile.Summary);
        Assert.Equal(fromStream.Problems, fromFile.Problems);
        Assert.Equal(fromStream.Duplicates, fromFile.Duplicates);
    }

    /// <summary>Keeps every report, in the order made: the validator reports on its own thread, one after the other.</summary>
    private sealed class Recorder : IProgress<ValidationProgress>
    {
        public List<ValidationProgress> Reports { get; } = [];

        public void Report(ValidationProgress value) => Reports.Add(value);
    }
}
