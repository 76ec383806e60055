using System.Globalization;
using Ledger.Api.Assessment;
using Ledger.Api.Audit;
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
using Ledger.Projections.Assessment;
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
/// the identification reviews by verdict and each town's 三率一度 against the rulebook's thresholds, and
/// the assessment reference (each town's score, grade and basis, or 无数据, as the assessment in force
/// computes them: <see cref="Assessments.ComputeAsync"/>). Submitting it is issuing it (<see cref="DocumentIssued"/>).
/// </summary>
public static class SummaryDocument
{
    [WolverineGet("/api/documents/summaries/{year}/draft")]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<DocumentPreview>(200)]
    public static async Task<IResult> Draft(int year, Write write, HttpContext context, TimeProvider clock, MacKey key)
    {
        if (year is < 2000 or > 2100) return ProblemAnswers.BadRequest("year is out of range").ToResult();
        return DocumentIssuing.Preview(context, (await ComposeAsync(write, year, new IssueSummary(null), clock, key))(null));
    }

    [WolverinePost("/api/documents/summaries/{year}")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.PovertyOffice}")]
    [ProducesResponseType<IssuedAnswer>(201)]
    public static async Task<IResult> Post(int year, IssueSummary command, Write write, IEvidenceStore files, CountyRules rules,
        TimeProvider clock, MacKey key)
    {
        if (year is < 2000 or > 2100) return ProblemAnswers.BadRequest("year is out of range").ToResult();
        var compose = await ComposeAsync(write, year, command, clock, key);
        var sample = compose(null);
        return await DocumentIssuing.IssueAsync(write, files, rules, DocumentKind.SummaryReport,
            new IssueRequest(sample.Title, sample.Recipients, command.Corrects, command.CorrectionReason),
            new Addressees(sample.Recipients, [], []), [], command.RedHeader, number => compose(number));
    }

    private static bool AllMet(AccuracyFigures f) =>
        new[] { f.WrongExit, f.Missed, f.WrongEnrolment, f.PublicApproval }.All(r => r.Met != false);

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
    private static string Percent(int part, int whole) => whole == 0 ? "—" : (100m * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A rate as the summary writes it: 42.86%（未达标）, or — where its sample is empty.</summary>
    public static string RateCell(Rate rate) => rate.Value is not { } value ? "—"
        : (100m * value).ToString("0.00", CultureInfo.InvariantCulture) + "%" + (rate.Met == true ? "（达标）" : "（未达标）");

    private static string Threshold(decimal fraction) => (100m * fraction).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>A score as the summary writes it (two decimals), or 无数据.</summary>
    public static string ScoreCell(decimal? score) => score is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : ScoreCard.NoData;

    private static async Task<Func<string?, OfficialDocument>> ComposeAsync(Write write, int year, IssueSummary command, TimeProvider clock, MacKey key)
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

        // The accuracy figures and the scores as the assessment in force computes them now: not recomputed here.
        var assessment = await Assessments.ComputeAsync(write.Reads, year, null, null, clock.GetUtcNow(), null, write.Cancellation, key);
        var townName = coverage.Towns.ToDictionary(t => t.Code, t => t.Name);
        string TownName(string code) => townName.GetValueOrDefault(code) ?? name(code);
        var thresholds = assessment.Rulebook.ThresholdsInForce;
        var reviews = cases.Where(c => c.Status == CaseStatus.Open && c.Review is not null).ToList();
        body.Add(new Heading(1, "四、精准识别退出复核情况"));
        body.Add(new Para(reviews.Count == 0 ? "本年度未开展识别退出复核。" :
            $"复核识别退出{N(reviews.Count)}户次，认定准确{N(reviews.Count(r => r.Review!.Verdict == ReviewVerdict.Correct))}户次，" +
            $"准确率{Percent(reviews.Count(r => r.Review!.Verdict == ReviewVerdict.Correct), reviews.Count)}；" +
            string.Join("、", reviews.Where(r => r.Review!.Verdict != ReviewVerdict.Correct).GroupBy(r => r.Review!.Verdict).OrderBy(g => g.Key)
                .Select(g => $"{Codes.LabelOf(g.Key)}{N(g.Count())}户次")) + "。"));
        var measured = assessment.TownAccuracy.Where(t => t.Value.Reviews > 0 || t.Value.PublicApproval.Denominator > 0)
            .OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        body.Add(new Heading(2, "（一）各镇（街道）“三率一度”"));
        body.Add(new Para($"按考核细则的阈值（错退率低于{Threshold(thresholds.WrongExit.Value)}、漏评率低于{Threshold(thresholds.Missed.Value)}、" +
            $"错评率低于{Threshold(thresholds.WrongEnrolment.Value)}、群众认可度{Threshold(thresholds.PublicApproval.Value)}以上）衡量，" +
            (measured.Count == 0 ? "本年度各镇（街道）均无复核和群众认可度测评数据。" :
                $"有复核或测评数据的镇（街道）{N(measured.Count)}个，" +
                $"全部达标{N(measured.Count(t => AllMet(t.Value)))}个；其余{N(assessment.TownAccuracy.Count - measured.Count)}个镇（街道）无数据。")));
        if (measured.Count > 0)
            body.Add(new TableBlock(["镇（街道）", "复核户次", "错退率", "漏评率", "错评率", "群众认可度"], measured.Select(t =>
                (IReadOnlyList<string>)[TownName(t.Key), N(t.Value.Reviews), RateCell(t.Value.WrongExit), RateCell(t.Value.Missed),
                    RateCell(t.Value.WrongEnrolment), RateCell(t.Value.PublicApproval)]).ToList()));

        body.Add(new Heading(1, "五、考核参考"));
        body.Add(new Para($"按{year}年度考核细则《{assessment.Rulebook.Name}》" +
            (assessment.RulebookVersion is { } version ? $"（第{N(version)}版）" : "（未发布细则，按默认细则）") +
            $"，以截至{OfficialDocument.ChineseDate(ChinaTime.Today(assessment.AsOf))}的记录计算，各镇（街道）考核参考得分如下（未经考核结果发布，仅供参考）。" +
            GetAssessments.RankingNote));
        body.Add(new TableBlock(["名次", "镇（街道）", "得分", "折算分", "等次", "计分基础"], assessment.Towns.Select(t =>
            (IReadOnlyList<string>)[t.Card.HasData ? N(t.Rank) : "—", TownName(t.Card.Code), ScoreCell(t.Card.HasData ? t.Card.Score : null),
                ScoreCell(t.Card.Scaled), t.Card.Grade, t.Card.Basis]).ToList()));

        return number => new OfficialDocument(DocumentNumbers.OfficeName(office), number, $"关于{year}年脱贫攻坚督查工作情况的汇总报告",
            recipients, body, DocumentNumbers.OfficeName(office), today, command.RedHeader);
    }
}
