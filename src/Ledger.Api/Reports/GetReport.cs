using Ledger.Api.Documents;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Access;
using System.Text;
using Ledger.Api.Auth;
using Ledger.Domain.Documents;
using Ledger.Domain.Inspections;
using Ledger.Projections.Cases;
using Ledger.Projections.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Reports;

public static class GetReport
{
    /// <summary>
    /// The submitted report, as JSON or, with <c>Accept: text/markdown</c>, as Markdown: the same rendering as the
    /// 督查报告 document (<see cref="ReportDocument.Compose"/>, unnumbered and without the red header) — towns,
    /// units and villages by name, dated the day the leader gave, codes and case ids only in the annex. A caller
    /// who sees part of the inspection reads the problems it may read, and only their records.
    /// </summary>
    [WolverineGet("/api/inspections/{id}/report")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<InspectionReportSubmitted>(200)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, Caller caller, HttpContext context, CancellationToken ct)
    {
        var whole = await session.LoadAsync<InspectionView>(id, ct);
        if (whole is null || !AccessRules.CanRead(caller, whole))
            return ProblemAnswers.NotFound($"no inspection {id} in this county").ToResult();
        var inspection = await Trimming.ForAsync(caller, whole, session, ct);
        if (inspection.Report is not { } report) return ProblemAnswers.NotFound("no report has been submitted for this inspection").ToResult();

        var wantsMarkdown = context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value == "text/markdown");
        if (!wantsMarkdown) return Results.Ok(report);
        var cases = await session.Query<CaseView>().Where(c => c.InspectionId == id).ToListAsync(ct);
        if (!AccessRules.SeesWholeInspection(caller, whole))
        {
            var named = report.Problems.Select(p => p.CaseId).ToHashSet();
            cases = cases.Where(c => named.Contains(c.Id)).ToList();
        }
        return Results.Text(await MarkdownAsync(session, caller, inspection, report, cases, ct), "text/markdown; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>The report's Markdown: the document model of the 督查报告, rendered once.</summary>
    public static async Task<string> MarkdownAsync(IQuerySession session, Caller caller, InspectionView inspection, InspectionReportSubmitted report,
        IReadOnlyList<CaseView> cases, CancellationToken ct)
    {
        var team = new[] { inspection.Leader }.Concat(inspection.Members).OfType<TeamMember>().ToList();
        var name = await DocumentIssuing.NamesAsync(session,
            [.. inspection.TownCodes, .. cases.Select(c => c.TownCode), .. team.Select(m => m.TownCode)],
            [.. inspection.UnitCodes, .. cases.Select(c => c.UnitCode), .. team.Select(m => m.UnitCode)],
            cases.Select(c => c.VillageCode), ct);
        var office = DocumentNumbers.MayIssue(caller) ? caller.Role : Roles.InspectionOffice;
        return ReportDocument.Compose(inspection, report, cases, name, office, null, ReportDocument.DefaultRecipients, redHeader: false).ToMarkdown();
    }
}
