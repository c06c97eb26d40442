using Microsoft.AspNetCore.Http.HttpResults;
using Scalar.AspNetCore;

namespace Portal.Api;

/// <summary>
/// Composition of <c>/api/v1</c>: bearer authentication, the endpoints, the problem types' descriptions, and in Development
/// the OpenAPI document (<see cref="OpenApiPath"/>) with its browser (<see cref="BrowserPath"/>).
/// </summary>
public static class PortalApi
{
    public const string DocumentName = "v1";
    public const string OpenApiPath = "/openapi/v1.json";
    public const string BrowserPath = "/api/docs/";

    public static void AddPortalApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddApiAuthentication();
        builder.Services.AddOpenApi(DocumentName, options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Account package portal API";
            document.Info.Description = "Upload account packages, follow their checks and sends, read the audit trail. Bearer tokens (client credentials) from the portal's identity provider. Errors are RFC 9457 problem details; their types are listed at " + ApiProblemTypes.TypePrefix + ".";
            return Task.CompletedTask;
        }));
    }

    public static void MapPortalApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup(ApiRoutes.Prefix);
        api.MapUploadsApi();
        api.MapAuditApi();
        api.MapGet("/problems", () => TypedResults.Ok(ApiProblemTypes.All))
            .AllowAnonymous()
            .WithTags("Problems")
            .WithSummary("Every problem type the API answers with: its code, HTTP status, title and meaning");
        api.MapGet("/problems/{code}", Results<Ok<ApiProblemType>, ProblemHttpResult> (string code) =>
                ApiProblemTypes.FromType(ApiProblemTypes.TypePrefix + code) is { } problem
                    ? TypedResults.Ok(problem)
                    : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"There is no problem type '{code}'."))
            .AllowAnonymous()
            .WithTags("Problems")
            .WithSummary("One problem type, as its 'type' URI names it");

        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi(OpenApiPath.Replace(DocumentName, "{documentName}", StringComparison.Ordinal)).AllowAnonymous();
            app.MapScalarApiReference(BrowserPath.TrimEnd('/'), options => options.WithOpenApiRoutePattern(OpenApiPath)).AllowAnonymous();
        }
    }
}
