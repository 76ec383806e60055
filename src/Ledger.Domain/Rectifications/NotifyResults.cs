using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Rectifications;

/// <summary>A rectification requirement: which case, what must be done, by which date.</summary>
public sealed record RequirementInput(Guid? Case, string? Action, DateOnly? Deadline);

/// <summary>无需整改: a problem given no requirement, and the recorded reason why.</summary>
public sealed record NotRequiredInput(Guid? Case, string? Reason);

/// <summary>
/// The results for one inspected town or unit: a summary, commendations (reasons), requirements, and
/// the problems given none with the reason (无需整改).
/// </summary>
public sealed record RecipientInput(string? Town, string? Unit, string? Summary, IReadOnlyList<string>? Commendations,
    IReadOnlyList<RequirementInput>? Requirements, IReadOnlyList<NotRequiredInput>? NotRequired = null);

/// <summary>A case as read from its stream for a decision that appends to it, and the stream version read.</summary>
public sealed record CaseAtVersion(Case Case, long Version);

/// <summary>通报督查结果: to each inspected town or unit, with commendations and rectification requirements.</summary>
public sealed record NotifyResults(long? ExpectedVersion, DateOnly? NotifiedOn, IReadOnlyList<RecipientInput>? Recipients) : IVersionedCommand
{
    /// <summary>The cases the requirements name (to be read from their streams before deciding).</summary>
    public IReadOnlyList<Guid> NamedCases() => (Recipients ?? []).Where(r => r is not null)
        .SelectMany(r => (r.Requirements ?? []).Select(q => q?.Case).Concat((r.NotRequired ?? []).Select(n => n?.Case)))
        .OfType<Guid>().Distinct().ToList();

    /// <summary>
    /// After the report, the results go to each inspected town or unit: one notice each on the
    /// inspection's stream, and a rectification requirement appended to each case required, at the
    /// version it was read at. <paramref name="named"/> holds the cases named that exist (any
    /// inspection's): each must be an open problem of this one, concerning its recipient — and every
    /// other case of this inspection (the endpoint reads them all): each open problem concerning a
    /// recipient, not yet accounted for, must be given a requirement or a reason for none (无需整改).
    /// </summary>
    /// <para>Either office issues them (<paramref name="issuer"/>), on behalf of the leading group; both are recorded on each event.</para>
    public Decision Decide(Inspection inspection, IReadOnlyDictionary<Guid, CaseAtVersion> named, DateOnly today, Access.Caller? issuer = null)
    {
        var (issuedBy, office, onBehalf) = (issuer?.User, issuer?.Role, issuer is null ? null : Issuing.LeadingGroup);
        var checks = new Checks();
        var recipients = Recipients ?? [];
        var notifiedOn = NotifiedOn ?? today;
        checks.That(notifiedOn <= today, "notifiedOn is in the future");
        checks.That(recipients.Count > 0, "name at least one recipient (an inspected town or unit)");
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
                if (req?.Case is not { } caseId || !named.TryGetValue(caseId, out var read) || read.Case.InspectionId != inspection.Id)
                {
                    checks.Add($"{at}: case {req?.Case} is not a record of this inspection");
                    continue;
                }
                var @case = read.Case;
                checks.That(@case.IsProblem, $"{at}: case {caseId} is not an open problem");
                checks.That(@case.TownCode == town && town is not null || @case.UnitCode == unit && unit is not null,
                    $"{at}: case {caseId} concerns {@case.TownCode ?? @case.UnitCode}, not this recipient");
                checks.That(required.Add(caseId), $"{at}: case {caseId} is required twice");
                checks.Text(req.Action, $"{at}.action (what must be done)", Checks.LongText);
                checks.That(req.Deadline is not null, $"{at}.deadline is required");
                if (req.Deadline is { } deadline && deadline < notifiedOn) tooEarly.Add($"{at}: deadline {deadline:yyyy-MM-dd} is before the notification date {notifiedOn:yyyy-MM-dd}");
                if (@case.Rectification is not null || @case.NotRequiredReason is not null)
                    tooEarly.Add($"{at}: case {caseId} already has a rectification requirement or a reason for none");
            }
            foreach (var (none, j) in (r.NotRequired ?? []).Select((n, j) => (n, j)))
            {
                var at = $"recipients[{i}].notRequired[{j}]";
                if (none?.Case is not { } caseId || !named.TryGetValue(caseId, out var read) || read.Case.InspectionId != inspection.Id)
                {
                    checks.Add($"{at}: case {none?.Case} is not a record of this inspection");
                    continue;
                }
                var @case = read.Case;
                checks.That(@case.IsProblem, $"{at}: case {caseId} is not an open problem");
                checks.That(@case.TownCode == town && town is not null || @case.UnitCode == unit && unit is not null,
                    $"{at}: case {caseId} concerns {@case.TownCode ?? @case.UnitCode}, not this recipient");
                checks.That(required.Add(caseId), $"{at}: case {caseId} is named twice");
                checks.Text(none.Reason, $"{at}.reason (why no rectification is required, 无需整改)", Checks.LongText);
                if (@case.Rectification is not null || @case.NotRequiredReason is not null)
                    tooEarly.Add($"{at}: case {caseId} already has a rectification requirement or a reason for none");
            }
            foreach (var left in named.Values.Select(v => v.Case).Where(c => c.InspectionId == inspection.Id && c.IsProblem
                         && c.Rectification is null && c.NotRequiredReason is null && !required.Contains(c.Id)
                         && (c.TownCode == town && town is not null || c.UnitCode == unit && unit is not null)).OrderBy(c => c.Id))
                checks.Add($"recipients[{i}]: problem {left.Id} is given neither a requirement nor a reason for none (无需整改)");
        }
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (inspection.Status is not (InspectionStatus.ReportSubmitted or InspectionStatus.Closed))
            return Refusal.Conflict($"results are notified after the report; the inspection is {Codes.LabelOf(inspection.Status)}");
        if (tooEarly.Count > 0) return Refusal.Conflict(tooEarly);

        var notices = new List<object>();
        var requirements = new List<(CaseAtVersion Read, object Event)>();
        foreach (var r in recipients)
        {
            var town = string.IsNullOrWhiteSpace(r.Town) ? null : r.Town.Trim();
            var unit = string.IsNullOrWhiteSpace(r.Unit) ? null : r.Unit.Trim();
            var asked = r.Requirements ?? [];
            notices.Add(new InspectionResultsNotified(inspection.Id, inspection.Year, town, unit, r.Summary!.Trim(),
                (r.Commendations ?? []).Select(c => c.Trim()).ToList(), asked.Select(q => q.Case!.Value).ToList(), notifiedOn,
                issuedBy, office, onBehalf));
            foreach (var q in asked)
            {
                var read = named[q.Case!.Value];
                var c = read.Case;
                requirements.Add((read, new RectificationRequired(c.Id, inspection.Id, c.Year, c.TownCode, c.UnitCode, c.VillageCode,
                    town, unit, q.Action!.Trim(), q.Deadline!.Value, notifiedOn, issuedBy, office, onBehalf)));
            }
            foreach (var n in r.NotRequired ?? [])
            {
                var read = named[n.Case!.Value];
                var c = read.Case;
                requirements.Add((read, new RectificationNotRequired(c.Id, inspection.Id, c.Year, c.TownCode, c.UnitCode, c.VillageCode,
                    town, unit, n.Reason!.Trim(), notifiedOn)));
            }
        }
        return requirements.Aggregate(Decision.Accept(notices.ToArray()),
            (decision, requirement) => decision.AlsoAppend(requirement.Read.Case.Id, requirement.Read.Version, requirement.Event));
    }
}
