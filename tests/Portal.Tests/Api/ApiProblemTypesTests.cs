using Portal.Api;
using Portal.Tests.TestHost;

namespace Portal.Tests.Api;

/// <summary>The problem types are stable and documented: each has its own code, and the README's table lists each with its status.</summary>
public sealed class ApiProblemTypesTests
{
    [Fact]
    public void Every_problem_type_has_a_unique_code_and_a_row_in_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root(), "README.md"));

        Assert.Equal(ApiProblemTypes.All.Count, ApiProblemTypes.All.Select(problem => problem.Code).Distinct().Count());
        Assert.All(ApiProblemTypes.All, problem =>
            Assert.Contains($"| `{problem.Type}` | {problem.Status} |", readme, StringComparison.Ordinal));
    }
}
