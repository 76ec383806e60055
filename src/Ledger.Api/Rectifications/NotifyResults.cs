using Ledger.Api.Http;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

/// <summary>A rectification requirement: which case, what must be done, by which date.</summary>
public sealed record RequirementInput(Guid? Case, string? Action, DateOnly? Deadline);

/// <summary>The results for one inspected town or unit: a summary, commendations (reasons) and requirements.</summary>
public sealed record RecipientInput(string? Town, string? Unit, string? Summary, IReadOnlyList<string>? Commendations,
    IReadOnlyList<RequirementInput>? Requirements);

/// <summary>通报督查结果: to each inspected town or unit, with commendations and rectification requirements.</summary>
public sealed record NotifyResults(long? ExpectedVersion, DateOnly? NotifiedOn, IReadOnlyList<RecipientInput>? Recipients);

public static class NotifyResultsEndpoint
{
    [WolverinePost("/api/inspections/{id}/notifications")]
    [Authorize(Roles = Roles.InspectionOffice)]
    [ProducesResponseType<WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static async Task<IResult> Post(Guid id, NotifyResults command, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var (stream, refused) = await ExistingStream.OpenAsync<Inspection>(session, id, command.ExpectedVersion, context, "inspection", ct);
        if (stream is null) return refused!;
        var cases = await session.Query<Case>().Where(c => c.InspectionId == id).ToListAsync(ct);
        var decision = Decide(command, stream.Aggregate!, cases, ChinaTime.Today(clock.GetUtcNow()));
        if (decision.Refusal is { } refusal) return refusal.ToResult();

        var byCase = cases.ToDictionary(c => c.Id);
        var notices = decision.Events.OfType<InspectionResultsNotified>().ToList();
        stream.AppendMany(notices);
        foreach (var required in decision.Events.OfType<RectificationRequired>())
            session.Events.Append(required.CaseId, byCase[required.CaseId].Version + 1, required);
        return Results.Ok(new WriteAnswer(id, ExistingStream.VersionOf(stream) + notices.Count));
    }

    public static Decision Decide(NotifyResults command, Inspection inspection, IReadOnlyList<Case> cases, DateOnly today)
    {
        var checks = new Checks();
        var recipients = command.Recipients ?? [];
        var notifiedOn = command.NotifiedOn ?? today;
        checks.That(notifiedOn <= today, "notifiedOn is in the future");
        checks.That(recipients.Count > 0, "name at least one recipient (an inspected town or unit)");
        var byId = cases.ToDictionary(c => c.Id);
        var required = new HashSet<Guid>();
        var tooEarly = new List<string>();
        for (var i = 0; i < recipients.Count; i++)
        {
            var r = recipients[i];
            if (r is null) { checks.Add($"recipients[{i}] is empty"); continue; }
            var town = string.IsNullOrWhiteSpace(r.Town) ? null : r.Town.Trim();
            var unit = string.IsNullOrWhiteSpace(r.Unit) ? null : r.Unit.Trim();
            checks.That((town is null) != (unit is null), $"recipients[{i}] is one town or one unit");
            checks.That(town is null || inspection.TownCodes.Contains(town), $"recipients[{i}]: town {town} was not inspected by this inspection");
            checks.That(unit is null || inspection.UnitCodes.Contains(unit), $"recipients[{i}]: unit {unit} was not inspected by this inspection");
            checks.Text(r.Summary, $"recipients[{i}].summary", Checks.LongText);
            foreach (var (reason, j) in (r.Commendations ?? []).Select((c, j) => (c, j)))
                checks.Text(reason, $"recipients[{i}].commendations[{j}] (the reason for 通报表扬)", Checks.LongText);
            foreach (var (req, j) in (r.Requirements ?? []).Select((q, j) => (q, j)))
            {
                var at = $"recipients[{i}].requirements[{j}]";
                if (req?.Case is not { } caseId || !byId.TryGetValue(caseId, out var @case))
                {
                    checks.Add($"{at}: case {req?.Case} is not a record of this inspection");
                    continue;
                }
                checks.That(@case.IsProblem, $"{at}: case {caseId} is not an open problem");
                checks.That(@case.TownCode == town && town is not null || @case.UnitCode == unit && unit is not null,
                    $"{at}: case {caseId} concerns {@case.TownCode ?? @case.UnitCode}, not this recipient");
                checks.That(required.Add(caseId), $"{at}: case {caseId} is required twice");
                checks.Text(req.Action, $"{at}.action (what must be done)", Checks.LongText);
                checks.That(req.Deadline is not null, $"{at}.deadline is required");
                if (req.Deadline is { } deadline && deadline < notifiedOn) tooEarly.Add($"{at}: deadline {deadline:yyyy-MM-dd} is before the notification date {notifiedOn:yyyy-MM-dd}");
                if (@case.Rectification is not null) tooEarly.Add($"{at}: case {caseId} already has a rectification requirement");
            }
        }
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (inspection.Status is not (InspectionStatus.ReportSubmitted or InspectionStatus.Closed))
            return Refusal.Conflict($"results are notified after the report; the inspection is {Codes.LabelOf(inspection.Status)}");
        if (tooEarly.Count > 0) return new Refusal(RefusalKind.Conflict, string.Join("; ", tooEarly), tooEarly);

        var events = new List<object>();
        foreach (var r in recipients)
        {
            var town = string.IsNullOrWhiteSpace(r.Town) ? null : r.Town.Trim();
            var unit = string.IsNullOrWhiteSpace(r.Unit) ? null : r.Unit.Trim();
            var requirements = r.Requirements ?? [];
            events.Add(new InspectionResultsNotified(inspection.Id, inspection.Year, town, unit, r.Summary!.Trim(),
                (r.Commendations ?? []).Select(c => c.Trim()).ToList(), requirements.Select(q => q.Case!.Value).ToList(), notifiedOn));
            foreach (var q in requirements)
            {
                var c = byId[q.Case!.Value];
                events.Add(new RectificationRequired(c.Id, inspection.Id, c.Year, c.TownCode, c.UnitCode, c.VillageCode,
                    town, unit, q.Action!.Trim(), q.Deadline!.Value, notifiedOn));
            }
        }
        return Decision.Accept(events.ToArray());
    }
}
