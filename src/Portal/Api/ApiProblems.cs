using Microsoft.AspNetCore.Http.HttpResults;

namespace Portal.Api;

/// <summary>RFC 9457 problem details of the stable <see cref="ApiProblemTypes"/>.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult Result(ApiProblemType problem, string detail, IDictionary<string, object?>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return TypedResults.Problem(detail: detail, statusCode: problem.Status, title: problem.Title, type: problem.Type, extensions: extensions);
    }
}
