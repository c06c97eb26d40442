using Bunit;
using Portal.Packages;
using Portal.Tests.Components;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>The report shows values from the file isolated from the page's direction, with what is invisible in them made visible.</summary>
public sealed class ValidationReportViewTests : PortalComponentTest
{
    [Theory]
    [InlineData(0, 0, false, false)]
    [InlineData(1, 0, false, true)]
    [InlineData(0, 1, false, true)]
    [InlineData(0, 0, true, true)]
    public void The_full_problem_report_is_offered_for_problems_duplicates_or_warnings(long problems, long duplicates, bool warned, bool offered)
    {
        var report = Report() with
        {
            ProblemCount = problems,
            Problems = [],
            DuplicateCount = duplicates,
            Duplicates = [],
            Warnings = warned ? [new PackageWarning(WarningKind.FormulaPrefix, 1, [1], "starts with =")] : [],
        };

        var cut = Render<ValidationReportView>(parameters => parameters.Add(view => view.Receipt, new UploadReceipt(Guid.NewGuid(), "list.txt", 30, new string('a', 64), report)));

        Assert.Equal(offered, cut.FindAll("[data-testid=problem-report]").Count == 1);
    }

    [Fact]
    public void An_account_holding_a_direction_control_cannot_reverse_the_rest_of_the_report()
    {
        var report = Report();

        var cut = Render<ValidationReportView>(parameters => parameters.Add(view => view.Receipt, new UploadReceipt(Guid.NewGuid(), "list.txt", 30, new string('a', 64), report)));

        Assert.Equal(["gnal<U+202E>exe.txt", "alice"], cut.FindAll("[data-testid=preview] bdi").Select(bdi => bdi.TextContent));
        Assert.Equal("x<U+202E>", cut.Find("[data-testid=problems] tbody bdi").TextContent);
        Assert.Equal("dup<U+2067>licate", cut.Find("[data-testid=duplicates] tbody bdi").TextContent);
        Assert.DoesNotContain("\u202E", cut.Markup, StringComparison.Ordinal);
    }

    private static ValidationReport Report() => new()
    {
        FileName = "list.txt",
        Kind = PackageKind.Account,
        OriginalSendable = false,
        CleanPackage = null,
        RowCount = 3,
        ValidCount = 2,
        InvalidCount = 1,
        InvalidByReason = new Dictionary<ProblemReason, long> { [ProblemReason.TooShort] = 1 },
        DuplicateCount = 1,
        BlankRowCount = 0,
        ProblemCount = 1,
        Problems = [new PackageProblem(3, ProblemReason.TooShort, "x\u202E", "is too short")],
        Warnings = [],
        Duplicates = [new DuplicateAccount("dup\u2067licate", 1, 2)],
        Preview = ["gnal\u202Eexe.txt", "alice"],
    };
}
