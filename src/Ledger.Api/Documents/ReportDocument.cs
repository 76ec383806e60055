using System.Globalization;
using Ledger.Api.EvidenceFiles;
using Ledger.Api.Http;
using Ledger.Api.Setup;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Documents;
using Ledger.Domain.Inspections;
using Ledger.Projections.Cases;
using Ledger.Projections.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Documents;

/// <summary>印发督查报告: the submitted report of an inspection as a numbered document, to 县委、县政府 unless other recipients are named.</summary>
public sealed record IssueReport(IReadOnlyList<string>? Recipients, bool RedHeader = true, Guid? Corrects = null, string? CorrectionReason = null);

/// <summary>
/// 督查报告: the report the team leader submitted (<see cref="InspectionReportSubmitted"/>), rendered in
/// the standard structure 一、基本情况 二、主要做法和成效 三、存在问题 四、意见建议 — towns, units and
/// villages by name, the team, the problems grouped by content area, dated the day the leader gave;
/// the codes only in the annex. Not a second report: a rendering of the same one.
/// </summary>
public static class ReportDocument
{
    public static readonly IReadOnlyList<string> DefaultRecipients = ["县委、县政府"];

    /// <summary>The document of the submitted report, unnumbered: for the offices, reviewers and the team.</summary>
    [WolverineGet("/api/inspections/{id}/report/document/draft")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<DocumentPreview>(200)]
    public static async Task<IResult> Draft(Guid id, bool? redHeader, Write write, HttpContext context)
    {
        var composed = await ComposeAsync(write, id, new IssueReport(null, redHeader ?? true));
        if (composed.Refusal is { } refusal) return refusal.ToResult();
        return DocumentIssuing.Preview(context, composed.Compose!(null));
    }

    /// <summary>Issues the report as a numbered document of the office; 201 with the download's location.</summary>
    [WolverinePost("/api/inspections/{id}/report/document")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.PovertyOffice}")]
    [ProducesResponseType<IssuedAnswer>(201)]
    public static async Task<IResult> Post(Guid id, IssueReport command, Write write, IEvidenceStore files, CountyRules rules)
    {
        var composed = await ComposeAsync(write, id, command);
        if (composed.Refusal is { } refusal) return refusal.ToResult();
        var sample = composed.Compose!(null);
        return await DocumentIssuing.IssueAsync(write, files, rules, DocumentKind.InspectionReport,
            new IssueRequest(sample.Title, sample.Recipients, command.Corrects, command.CorrectionReason),
            new Addressees(sample.Recipients, [], []), [id], command.RedHeader, number => composed.Compose(number));
    }

    private sealed record Composed(Refusal? Refusal, Func<string?, OfficialDocument>? Compose = null);

    private static async Task<Composed> ComposeAsync(Write write, Guid id, IssueReport command)
    {
        var inspection = await write.Reads.LoadAsync<InspectionView>(id, write.Cancellation);
        if (inspection is null || !AccessRules.CanRead(write.Caller, inspection)) return new(Refusal.NotFound($"no inspection {id} in this county"));
        if (!AccessRules.SeesWholeInspection(write.Caller, inspection))
            return new(Refusal.Forbidden("the report document is for the offices, reviewers and the team"));
        if (inspection.Report is not { } report) return new(Refusal.NotFound("no report has been submitted for this inspection"));
        var cases = await write.Reads.Query<CaseView>().Where(c => c.InspectionId == id).ToListAsync(write.Cancellation);
        var team = new[] { inspection.Leader }.Concat(inspection.Members).OfType<TeamMember>().ToList();
        var name = await DocumentIssuing.NamesAsync(write.Reads,
            [.. inspection.TownCodes, .. cases.Select(c => c.TownCode), .. team.Select(m => m.TownCode)],
            [.. inspection.UnitCodes, .. cases.Select(c => c.UnitCode), .. team.Select(m => m.UnitCode)],
            cases.Select(c => c.VillageCode), write.Cancellation);
        var office = DocumentNumbers.MayIssue(write.Caller) ? write.Caller.Role : Roles.InspectionOffice;
        var recipients = command.Recipients?.Select(r => r?.Trim() ?? "").ToList() ?? [.. DefaultRecipients];
        return new(null, number => Compose(inspection, report, cases, name, office, number, recipients, command.RedHeader));
    }

    /// <summary>The report as a document (pure: the inspection, its report and cases, the registry's names).</summary>
    public static OfficialDocument Compose(InspectionView inspection, InspectionReportSubmitted report, IReadOnlyList<CaseView> cases,
        Func<string?, string> name, string office, string? number, IReadOnlyList<string> recipients, bool redHeader)
    {
        static string Member(TeamMember m, Func<string?, string> name) =>
            (m.UnitCode ?? m.TownCode) is { } at ? $"{m.Name}（{name(at)}）" : m.Name;
        var byId = cases.ToDictionary(c => c.Id);
        var scope = string.Join("、", inspection.TownCodes.Concat(inspection.UnitCodes).Select(name));
        var kind = inspection.KindLabel + (inspection.Topic is { } topic ? $"（{topic}）" : "");
        var body = new List<Block>
        {
            new Para($"按照{Issuing.LeadingGroup}工作部署，督查组" +
                (inspection.FieldworkStartedOn is { } started ? $"于{OfficialDocument.ChineseDate(started)}起" : "") +
                $"对{scope}开展了{inspection.Year}年{kind}。现将有关情况报告如下："),
            new Heading(1, "一、基本情况"),
        };
        if (inspection.Leader is { } leader)
            body.Add(new Para($"督查组实行组长负责制，组长：{Member(leader, name)}；成员：" +
                (inspection.Members.Count == 0 ? "无" : string.Join("、", inspection.Members.Select(m => Member(m, name)))) + "。"));
        body.Add(new Para(report.Situation));

        body.Add(new Heading(1, "二、主要做法和成效"));
        var live = cases.Where(c => c.Status == CaseStatus.Open).ToList();
        var methods = live.Select(c => c.Method).Distinct().Order().Select(m => Codes.LabelOf(m)).ToList();
        body.Add(new Para($"督查组采取{(methods.Count == 0 ? "实地督查" : string.Join("、", methods))}等方式，" +
            $"深入{inspection.TownCodes.Count + inspection.UnitCodes.Count}个镇（单位）、{live.Select(c => c.VillageCode).OfType<string>().Distinct().Count()}个村，" +
            $"共形成督查记录{live.Count}条。"));
        if (report.Achievements is { Length: > 0 } achievements) body.Add(new Para(achievements));

        body.Add(new Heading(1, "三、存在问题"));
        var problems = report.Problems.Select((p, i) => (Problem: p, Case: byId.GetValueOrDefault(p.CaseId), Index: i + 1)).ToList();
        if (problems.Count == 0) body.Add(new Para("本次督查未发现问题。"));
        var sub = 0;
        foreach (var area in problems.GroupBy(p => p.Case?.Area).OrderBy(g => g.Key is null).ThenBy(g => g.Key))
        {
            body.Add(new Heading(2, $"（{DocumentIssuing.Ordinal(++sub)}）{(area.Key is { } a ? Codes.LabelOf(a) : "其他")}方面（{area.Count()}个）"));
            foreach (var (problem, c, index) in area)
            {
                var where = c is null ? "" : string.Concat(name(c.TownCode ?? c.UnitCode), c.VillageCode is null ? "" : name(c.VillageCode));
                var severity = c?.SeverityLabel is { } s ? $"（{s}）" : "";
                body.Add(new Para($"{index}. {(where.Length > 0 ? where + "：" : "")}{(c?.Description ?? problem.Summary).TrimEnd('。')}{severity}。"));
            }
        }

        body.Add(new Heading(1, "四、意见建议"));
        body.Add(new Para(report.Opinions));
        if (report.Suggestions.Length > 0) body.Add(new Para(report.Suggestions));

        var annex = new List<Block>
        {
            new TableBlock(["名称", "代码"], inspection.TownCodes.Concat(inspection.UnitCodes)
                .Concat(live.Select(c => c.VillageCode).OfType<string>().Distinct().Order(StringComparer.Ordinal))
                .Select(code => (IReadOnlyList<string>)[name(code), code]).ToList()),
            new TableBlock(["问题序号", "案件编号"], problems.Select(p =>
                (IReadOnlyList<string>)[p.Index.ToString(CultureInfo.InvariantCulture), p.Problem.CaseId.ToString()]).ToList()),
        };
        var date = report.ReportedOn ?? report.SubmittedOn;
        var signature = inspection.Leader is { } l ? $"{inspection.Year}年{inspection.KindLabel}督查组（组长：{l.Name}）" : $"{inspection.Year}年{inspection.KindLabel}督查组";
        return new OfficialDocument(DocumentNumbers.OfficeName(office), number,
            $"关于{inspection.Year}年{kind}情况的报告", recipients, body, signature, date, redHeader, "督查对象和问题代码对照表", annex);
    }
}
