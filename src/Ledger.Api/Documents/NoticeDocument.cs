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

/// <summary>
/// 印发督查通报: a notice of the results of one or more inspections whose results have been notified.
/// Title and recipients default from the records (the towns and units notified); <c>Rankings</c> adds
/// the table of problems per town and unit; <c>Corrects</c> (with <c>CorrectionReason</c>) issues a
/// correction of an earlier document under a new number.
/// </summary>
public sealed record IssueNotice(IReadOnlyList<Guid>? Inspections, string? Title, IReadOnlyList<string>? Recipients,
    bool RedHeader = true, bool Rankings = false, Guid? Corrects = null, string? CorrectionReason = null);

public static class NoticeDocument
{
    /// <summary>The draft of a notice from the current records (<c>?inspections=id,id&amp;rankings=true</c>), unnumbered.</summary>
    [WolverineGet("/api/documents/notices/draft")]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<DocumentPreview>(200)]
    public static async Task<IResult> Draft(string? inspections, bool? rankings, bool? redHeader, Write write, HttpContext context)
    {
        var ids = new List<Guid>();
        foreach (var part in (inspections ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Guid.TryParse(part, out var id)) return ProblemAnswers.BadRequest($"inspections: '{part}' is not an inspection id").ToResult();
            ids.Add(id);
        }
        var composed = await ComposeAsync(write, new IssueNotice(ids, null, null, redHeader ?? true, rankings ?? false));
        if (composed.Refusal is { } refusal) return refusal.ToResult();
        return DocumentIssuing.Preview(context, composed.Compose!(null));
    }

    /// <summary>Issues the notice under the office's next number; 201 with the download's location.</summary>
    [WolverinePost("/api/documents/notices")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.PovertyOffice}")]
    [ProducesResponseType<IssuedAnswer>(201)]
    public static async Task<IResult> Post(IssueNotice command, Write write, IEvidenceStore files, CountyRules rules)
    {
        var composed = await ComposeAsync(write, command);
        if (composed.Refusal is { } refusal) return refusal.ToResult();
        var sample = composed.Compose!(null);
        return await DocumentIssuing.IssueAsync(write, files, rules, DocumentKind.Notice,
            new IssueRequest(sample.Title, sample.Recipients, command.Corrects, command.CorrectionReason),
            composed.Addressees!, composed.InspectionIds, command.RedHeader, number => composed.Compose(number));
    }

    private sealed record Composed(Refusal? Refusal, Func<string?, OfficialDocument>? Compose = null, Addressees? Addressees = null,
        IReadOnlyList<Guid> InspectionIds = null!);

    private static async Task<Composed> ComposeAsync(Write write, IssueNotice command)
    {
        var ids = (command.Inspections ?? []).Distinct().ToList();
        if (ids.Count == 0) return new(Refusal.Invalid("inspections: name at least one inspection whose results were notified"));
        if (ids.Count > 50) return new(Refusal.Invalid("inspections: at most 50 in one notice"));
        var views = await write.Reads.LoadManyAsync<InspectionView>(write.Cancellation, ids);
        if (ids.FirstOrDefault(id => views.All(v => v.Id != id)) is var missing && missing != Guid.Empty)
            return new(Refusal.NotFound($"no inspection {missing} in this county"));
        var inspections = ids.Select(id => views.Single(v => v.Id == id)).ToList();
        if (inspections.FirstOrDefault(i => (i.Notifications ?? []).Count == 0) is { } unnotified)
            return new(Refusal.Conflict($"the results of inspection {unnotified.Id} have not been notified yet: a notice reports notified results"));
        if (command.Title is not null && string.IsNullOrWhiteSpace(command.Title)) return new(Refusal.Invalid("title is blank"));

        var cases = await write.Reads.Query<CaseView>().Where(c => c.InspectionId.IsOneOf(ids.ToArray())).ToListAsync(write.Cancellation);
        var byId = cases.ToDictionary(c => c.Id);
        var notifications = inspections.SelectMany(i => i.Notifications!.Select(n => (Inspection: i, Notification: n))).ToList();
        var name = await DocumentIssuing.NamesAsync(write.Reads,
            [.. inspections.SelectMany(i => i.TownCodes), .. cases.Select(c => c.TownCode), .. notifications.Select(n => n.Notification.TownCode)],
            [.. inspections.SelectMany(i => i.UnitCodes), .. cases.Select(c => c.UnitCode), .. notifications.Select(n => n.Notification.UnitCode)],
            cases.Select(c => c.VillageCode), write.Cancellation);

        var recipients = notifications.Select(n => (n.Notification.TownCode, n.Notification.UnitCode)).Distinct()
            .OrderBy(r => r.TownCode is null).ThenBy(r => r.TownCode ?? r.UnitCode, StringComparer.Ordinal).ToList();
        var towns = recipients.Where(r => r.TownCode is not null).Select(r => r.TownCode!).Distinct().ToList();
        var units = recipients.Where(r => r.TownCode is null && r.UnitCode is not null).Select(r => r.UnitCode!).Distinct().ToList();
        var addressees = new Addressees(
            command.Recipients?.Select(r => r?.Trim() ?? "").ToList() ?? [.. towns.Select(name), .. units.Select(name)], towns, units);

        var first = inspections[0];
        var title = command.Title?.Trim() ?? (inspections.Count == 1
            ? $"关于{first.Year}年{first.KindLabel}{(first.Topic is { } topic ? $"（{topic}）" : "")}情况的通报"
            : $"关于{string.Join("、", inspections.Select(i => i.Year).Distinct())}年{string.Join("、", inspections.Select(i => i.KindLabel).Distinct())}情况的通报");

        var body = new List<Block>
        {
            new Para($"按照{Issuing.LeadingGroup}工作部署，" + string.Join("；", inspections.Select(i =>
                $"{(i.FieldworkStartedOn is { } started ? OfficialDocument.ChineseDate(started) + "起，" : "")}" +
                $"{(i.Leader is { } leader ? leader.Name + "带领" : "")}督查组对{string.Join("、", i.TownCodes.Concat(i.UnitCodes).Select(name))}开展了{i.KindLabel}" +
                (i.Topic is { } t ? $"（{t}）" : ""))) + "。现将有关情况通报如下："),
        };
        var section = 0;
        body.Add(new Heading(1, $"{DocumentIssuing.Ordinal(++section)}、督查基本情况"));
        foreach (var inspection in inspections)
        {
            var records = cases.Where(c => c.InspectionId == inspection.Id && c.Status == CaseStatus.Open).ToList();
            var problems = records.Where(c => c.IsProblem).ToList();
            body.Add(new Para($"{inspection.Year}年{inspection.KindLabel}共形成督查记录{records.Count}条，发现问题{problems.Count}个" +
                (problems.Count == 0 ? "" : "，涉及" + string.Join("、", problems.GroupBy(c => c.Area).OrderBy(g => g.Key)
                    .Select(g => $"{Codes.LabelOf(g.Key)}方面{g.Count()}个"))) + "。"));
        }

        var commendations = notifications.SelectMany(n => n.Notification.Commendations.Select(reason => (n.Notification, reason))).ToList();
        if (commendations.Count > 0)
        {
            body.Add(new Heading(1, $"{DocumentIssuing.Ordinal(++section)}、通报表扬"));
            body.Add(new Para("对以下镇（单位）予以通报表扬：" + string.Join("；", commendations.Select(c =>
                $"{name(c.Notification.TownCode ?? c.Notification.UnitCode)}（{c.reason}）")) + "。"));
        }

        body.Add(new Heading(1, $"{DocumentIssuing.Ordinal(++section)}、存在问题及整改要求"));
        var sub = 0;
        foreach (var (town, unit) in recipients)
        {
            var sent = notifications.Where(n => n.Notification.TownCode == town && n.Notification.UnitCode == unit).ToList();
            body.Add(new Heading(2, $"（{DocumentIssuing.Ordinal(++sub)}）{name(town ?? unit)}"));
            foreach (var (_, notification) in sent)
                body.Add(new Para(notification.Summary + (notification.Summary.EndsWith('。') ? "" : "。")));
            var required = sent.SelectMany(n => n.Notification.RequirementCaseIds).Where(byId.ContainsKey).Select(id => byId[id]).ToList();
            for (var i = 0; i < required.Count; i++)
            {
                var c = required[i];
                var where = string.Join("", new[] { c.UnitCode is not null && c.TownCode is not null ? name(c.UnitCode) : null, c.VillageCode is null ? null : name(c.VillageCode) }
                    .Where(x => x is not null));
                var requirement = c.Rectification is { } r ? $"整改要求：{r.Action}；整改期限：{OfficialDocument.ChineseDate(r.Deadline)}前。" : "";
                body.Add(new Para($"{i + 1}. 【{c.AreaLabel}】{(where.Length > 0 ? where + "：" : "")}{c.Description.TrimEnd('。')}。{requirement}"));
            }
            if (required.Count == 0) body.Add(new Para("无整改要求。"));
        }

        if (command.Rankings)
        {
            body.Add(new Heading(1, $"{DocumentIssuing.Ordinal(++section)}、问题数量排名"));
            body.Add(new Para("按发现问题数量由少到多排列（问题数相同的，按严重、较重问题数由少到多排列）："));
            var rows = recipients.Select(r =>
                {
                    var theirs = cases.Where(c => c.IsProblem && (r.TownCode is not null ? c.TownCode == r.TownCode : c.UnitCode == r.UnitCode && c.TownCode is null)).ToList();
                    return (Name: name(r.TownCode ?? r.UnitCode), Count: theirs.Count,
                        Heavy: theirs.Count(c => c.Severity is Severity.Grave or Severity.Serious));
                })
                .OrderBy(x => x.Count).ThenBy(x => x.Heavy).ThenBy(x => x.Name, StringComparer.Ordinal)
                .Select((x, i) => (IReadOnlyList<string>)[(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), x.Name,
                    x.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), x.Heavy.ToString(System.Globalization.CultureInfo.InvariantCulture)])
                .ToList();
            body.Add(new TableBlock(["名次", "镇（单位）", "问题数", "其中严重、较重"], rows));
        }

        body.Add(new Heading(1, $"{DocumentIssuing.Ordinal(++section)}、有关要求"));
        body.Add(new Para("各有关镇（单位）要对照通报问题，逐项制定整改措施，明确责任人和完成时限，在规定期限内整改到位，并通过督查台账反馈整改情况。逾期未整改或整改不到位的，按规定督办、问责。"));

        var office = DocumentNumbers.MayIssue(write.Caller) ? write.Caller.Role : Roles.InspectionOffice;
        var today = write.Today;
        return new(null, number => new OfficialDocument(DocumentNumbers.OfficeName(office), number, title, addressees.Names, body,
            DocumentNumbers.OfficeName(office), today, command.RedHeader), addressees, ids);
    }
}
