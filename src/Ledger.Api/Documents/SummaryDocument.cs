using System.Globalization;
using Ledger.Api.EvidenceFiles;
using Ledger.Api.Http;
using Ledger.Api.Inspections;
using Ledger.Api.Setup;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Documents;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Cases;
using Ledger.Projections.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Documents;

/// <summary>报送汇总报告: a year's summary to 县委、县政府 (unless other recipients are named), as a numbered document.</summary>
public sealed record IssueSummary(IReadOnlyList<string>? Recipients, bool RedHeader = true, Guid? Corrects = null, string? CorrectionReason = null);

/// <summary>
/// 汇总报告 for a year (Art. 6, 8, 11–12): the inspections held and their coverage of towns and units,
/// the problems by content area and by town, rectification (rate closed, overdue items as of today),
/// and the identification reviews by verdict. Submitting it is issuing it (<see cref="DocumentIssued"/>).
/// </summary>
public static class SummaryDocument
{
    [WolverineGet("/api/documents/summaries/{year}/draft")]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<DocumentPreview>(200)]
    public static async Task<IResult> Draft(int year, Write write, HttpContext context)
    {
        if (year is < 2000 or > 2100) return ProblemAnswers.BadRequest("year is out of range").ToResult();
        return DocumentIssuing.Preview(context, (await ComposeAsync(write, year, new IssueSummary(null)))(null));
    }

    [WolverinePost("/api/documents/summaries/{year}")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.PovertyOffice}")]
    [ProducesResponseType<IssuedAnswer>(201)]
    public static async Task<IResult> Post(int year, IssueSummary command, Write write, IEvidenceStore files, CountyRules rules)
    {
        if (year is < 2000 or > 2100) return ProblemAnswers.BadRequest("year is out of range").ToResult();
        var compose = await ComposeAsync(write, year, command);
        var sample = compose(null);
        return await DocumentIssuing.IssueAsync(write, files, rules, DocumentKind.SummaryReport,
            new IssueRequest(sample.Title, sample.Recipients, command.Corrects, command.CorrectionReason),
            new Addressees(sample.Recipients, [], []), [], command.RedHeader, number => compose(number));
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
    private static string Percent(int part, int whole) => whole == 0 ? "—" : (100m * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static async Task<Func<string?, OfficialDocument>> ComposeAsync(Write write, int year, IssueSummary command)
    {
        var inspections = await write.Reads.Query<InspectionView>().Where(i => i.Year == year).ToListAsync(write.Cancellation);
        var held = inspections.Where(i => i.Status >= InspectionStatus.InField).ToList();
        var cases = await write.Reads.Query<CaseView>().Where(c => c.Year == year).ToListAsync(write.Cancellation);
        var coverage = await GetCoverage.Get(year, write.Reads, write.Cancellation);
        var name = await DocumentIssuing.NamesAsync(write.Reads, cases.Select(c => c.TownCode), cases.Select(c => c.UnitCode),
            cases.Select(c => c.VillageCode), write.Cancellation);
        var today = write.Today;
        var office = DocumentNumbers.MayIssue(write.Caller) ? write.Caller.Role : Roles.InspectionOffice;
        var recipients = command.Recipients?.Select(r => r?.Trim() ?? "").ToList() ?? [.. ReportDocument.DefaultRecipients];

        var body = new List<Block>
        {
            new Para($"现将{year}年脱贫攻坚督查工作情况汇总报告如下（数据截至{OfficialDocument.ChineseDate(today)}）："),
            new Heading(1, "一、督查开展情况"),
            new Para($"全年开展督查{N(held.Count)}次，其中" + string.Join("、", Enum.GetValues<InspectionKind>()
                .Select(k => $"{Codes.LabelOf(k)}{N(held.Count(i => i.Kind == k))}次")) + $"；另有{N(inspections.Count - held.Count)}次已制定方案、尚未开展实地督查。"),
            new Para($"综合督查覆盖镇（街道）{N(coverage.Towns.Count(t => t.Covered))}个（共{N(coverage.Towns.Count)}个）、" +
                $"单位{N(coverage.Units.Count(u => u.Covered))}个（共{N(coverage.Units.Count)}个）" +
                (coverage.TownsNotCovered.Count == 0 ? "，实现镇（街道）全覆盖。" :
                    "；尚未覆盖的镇（街道）：" + string.Join("、", coverage.Towns.Where(t => !t.Covered).Select(t => t.Name)) + "。")),
        };

        var problems = cases.Where(c => c.IsProblem).ToList();
        body.Add(new Heading(1, "二、发现问题情况"));
        body.Add(new Para($"共发现问题{N(problems.Count)}个，其中严重{N(problems.Count(c => c.Severity == Severity.Grave))}个、" +
            $"较重{N(problems.Count(c => c.Severity == Severity.Serious))}个、一般{N(problems.Count(c => c.Severity == Severity.Minor))}个。"));
        body.Add(new Heading(2, "（一）按督查内容分"));
        body.Add(new TableBlock(["督查内容", "问题数"], problems.GroupBy(c => c.Area).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<string>)[Codes.LabelOf(g.Key), N(g.Count())]).ToList()));
        body.Add(new Heading(2, "（二）按镇（单位）分"));
        body.Add(new TableBlock(["镇（单位）", "问题数"], problems.GroupBy(c => c.TownCode ?? c.UnitCode).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<string>)[name(g.Key), N(g.Count())]).ToList()));

        var required = cases.Where(c => c.Status == CaseStatus.Open && c.Rectification is not null).ToList();
        var closed = required.Count(c => c.Rectification!.Stage == RectificationStage.Closed);
        var overdue = required.Where(c => Deadlines.IsOverdue(c.Rectification!.Stage, c.Rectification.Deadline, today))
            .OrderBy(c => c.Rectification!.Deadline).ThenBy(c => c.TownCode).ToList();
        body.Add(new Heading(1, "三、问题整改情况"));
        body.Add(new Para($"下达整改要求{N(required.Count)}项，已整改销号{N(closed)}项，整改率{Percent(closed, required.Count)}；" +
            $"其中逾期完成{N(required.Count(c => c.Rectification!.ClosedLate))}项；逾期未完成{N(overdue.Count)}项" + (overdue.Count == 0 ? "。" : "：")));
        for (var i = 0; i < overdue.Count; i++)
        {
            var c = overdue[i];
            body.Add(new Para($"{i + 1}. {name(c.Rectification!.ResponsibleTown ?? c.Rectification.ResponsibleUnit)}：{c.Description.TrimEnd('。')}，" +
                $"整改要求：{c.Rectification.Action}，期限{OfficialDocument.ChineseDate(c.Rectification.Deadline)}，逾期{N(today.DayNumber - c.Rectification.Deadline.DayNumber)}天。"));
        }

        var reviews = cases.Where(c => c.Status == CaseStatus.Open && c.Review is not null).ToList();
        body.Add(new Heading(1, "四、精准识别退出复核情况"));
        body.Add(new Para(reviews.Count == 0 ? "本年度未开展识别退出复核。" :
            $"复核识别退出{N(reviews.Count)}户次，认定准确{N(reviews.Count(r => r.Review!.Verdict == ReviewVerdict.Correct))}户次，" +
            $"准确率{Percent(reviews.Count(r => r.Review!.Verdict == ReviewVerdict.Correct), reviews.Count)}；" +
            string.Join("、", reviews.Where(r => r.Review!.Verdict != ReviewVerdict.Correct).GroupBy(r => r.Review!.Verdict).OrderBy(g => g.Key)
                .Select(g => $"{Codes.LabelOf(g.Key)}{N(g.Count())}户次")) + "。"));

        body.Add(new Heading(1, "五、考核参考"));
        body.Add(new Para($"以上问题数量、整改率和逾期情况，可作为{year}年度各镇（单位）脱贫攻坚工作考核的参考；各镇考核得分详见年度考核结果。"));

        return number => new OfficialDocument(DocumentNumbers.OfficeName(office), number, $"关于{year}年脱贫攻坚督查工作情况的汇总报告",
            recipients, body, DocumentNumbers.OfficeName(office), today, command.RedHeader);
    }
}
