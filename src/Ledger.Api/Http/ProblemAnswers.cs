using Ledger.Domain.Common;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Http;

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

    public static ProblemDetails Unprocessable(string detail) =>
        Make(StatusCodes.Status422UnprocessableEntity, "无法处理 (unprocessable)", detail);

    public static ProblemDetails TooLarge(long max) =>
        Make(StatusCodes.Status413PayloadTooLarge, "请求过大 (payload too large)", $"the body is larger than this route takes ({max} bytes); nothing was recorded");

    public static ProblemDetails UnsupportedType(string detail) =>
        Make(StatusCodes.Status415UnsupportedMediaType, "文件类型不支持 (unsupported media type)", detail);

    /// <summary>500: a stored evidence file no longer matches its hash (an alarm, logged).</summary>
    public static ProblemDetails EvidenceCorrupted(string sha256) =>
        Make(StatusCodes.Status500InternalServerError, "佐证材料已损坏 (evidence file corrupted)",
            $"the stored bytes of evidence {sha256} no longer hash to {sha256}: the file was changed or damaged in storage; " +
            "nothing was sent. This is logged as an alarm; restore the file from a backup");

    public static ProblemDetails TooMany() =>
        Make(StatusCodes.Status429TooManyRequests, "请求过于频繁 (too many requests)", "too many requests from this address; try again in a minute; nothing was recorded");

    /// <summary>429 for a heavy read (export, verification, digest, replay) while its group is at its limit.</summary>
    public static ProblemDetails TooBusy(string group, int retryAfterSeconds) =>
        Make(StatusCodes.Status429TooManyRequests, "服务繁忙 (too many requests)",
            $"as many heavy requests ({group}) as this ledger serves at once are running; try again in {retryAfterSeconds} s");

    public static IResult ToResult(this ProblemDetails problem) =>
        Results.Problem(problem);

    /// <summary>A domain refusal as its HTTP answer; input problems are listed under <c>errors</c>.</summary>
    public static IResult ToResult(this Refusal refusal)
    {
        var extensions = refusal.Errors is { Count: > 0 } errors ? new Dictionary<string, object?> { ["errors"] = errors } : null;
        if (refusal.Extensions is { Count: > 0 } more)
            extensions = new Dictionary<string, object?>((extensions ?? []).Concat(more));
        return (refusal.Kind switch
        {
            RefusalKind.Invalid => BadRequest(refusal.Message, extensions),
            RefusalKind.NotFound => NotFound(refusal.Message),
            RefusalKind.Conflict => Conflict(refusal.Message, extensions),
            _ => Forbidden(refusal.Message),
        }).ToResult();
    }

    /// <summary>409 for a write that carried a version the stream has moved past.</summary>
    public static IResult StaleVersion(string what, long expected, long current) =>
        Conflict($"{what} is at version {current}, not {expected}: someone else wrote first; read it again",
            new Dictionary<string, object?> { ["currentVersion"] = current }).ToResult();

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
