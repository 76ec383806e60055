using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Access;
using System.Text;
using Ledger.Api.Auth;
using Ledger.Domain.Inspections;
using Ledger.Projections.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Reports;

public static class GetReport
{
    /// <summary>The submitted report, as JSON or, with <c>Accept: text/markdown</c>, as Markdown.</summary>
    [WolverineGet("/api/inspections/{id}/report")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<InspectionReportSubmitted>(200)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, Caller caller, HttpContext context, CancellationToken ct)
    {
        var inspection = await session.LoadAsync<InspectionView>(id, ct);
        if (inspection is null || !AccessRules.CanRead(caller, inspection))
            return ProblemAnswers.NotFound($"no inspection {id} in this county").ToResult();
        inspection = await Trimming.ForAsync(caller, inspection, session, ct);
        if (inspection.Report is not { } report) return ProblemAnswers.NotFound("no report has been submitted for this inspection").ToResult();

        var wantsMarkdown = context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value == "text/markdown");
        return wantsMarkdown
            ? Results.Text(Markdown(inspection, report), "text/markdown; charset=utf-8", Encoding.UTF8)
            : Results.Ok(report);
    }

    public static string Markdown(InspectionView inspection, InspectionReportSubmitted report)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {inspection.Year}年{inspection.KindLabel}情况报告{(inspection.Topic is { } t ? $"（{t}）" : "")}");
        text.AppendLine();
        text.AppendLine($"- 督查对象：{string.Join("、", [.. inspection.TownCodes, .. inspection.UnitCodes])}");
        text.AppendLine($"- 组长：{inspection.Leader?.Name}（{report.SubmittedBy}），报告日期：{report.SubmittedOn:yyyy-MM-dd}");
        text.AppendLine();
        text.AppendLine("## 一、督查情况").AppendLine().AppendLine(report.Situation).AppendLine();
        text.AppendLine("## 二、存在问题").AppendLine();
        for (var i = 0; i < report.Problems.Count; i++)
            text.AppendLine($"{i + 1}. {report.Problems[i].Summary}（案件 {report.Problems[i].CaseId}）");
        if (report.Problems.Count == 0) text.AppendLine("无。");
        text.AppendLine().AppendLine("## 三、意见和建议").AppendLine().AppendLine(report.Opinions);
        if (report.Suggestions.Length > 0) text.AppendLine().AppendLine(report.Suggestions);
        return text.ToString();
    }
}
