using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Setup;

/// <summary>Refusals as RFC 9457 problem details: one place for their shape.</summary>
public static class ProblemAnswers
{
    public static ProblemDetails BadRequest(string detail, IDictionary<string, object?>? extensions = null) =>
        Make(StatusCodes.Status400BadRequest, "请求无效 (invalid request)", detail, extensions);

    public static ProblemDetails NotFound(string detail) =>
        Make(StatusCodes.Status404NotFound, "未找到 (not found)", detail);

    public static ProblemDetails Conflict(string detail, IDictionary<string, object?>? extensions = null) =>
        Make(StatusCodes.Status409Conflict, "冲突 (conflict)", detail, extensions);

    public static ProblemDetails Forbidden(string detail) =>
        Make(StatusCodes.Status403Forbidden, "无权操作 (forbidden)", detail);

    public static ProblemDetails Unavailable(string detail) =>
        Make(StatusCodes.Status503ServiceUnavailable, "服务不可用 (service unavailable)", detail);

    public static IResult ToResult(this ProblemDetails problem) =>
        Results.Problem(problem);

    private static ProblemDetails Make(int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = status >= 500
                ? $"https://tools.ietf.org/html/rfc9110#section-15.6.{status - 499}"
                : $"https://tools.ietf.org/html/rfc9110#section-15.5.{status - 399}",
        };
        if (extensions is not null)
            foreach (var (key, value) in extensions) problem.Extensions[key] = value;
        return problem;
    }
}
