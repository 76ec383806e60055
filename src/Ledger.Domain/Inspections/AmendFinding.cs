using Ledger.Domain.Access;
using Ledger.Domain.Common;

namespace Ledger.Domain.Inspections;

/// <summary>
/// 更正: what changes in a finding or funding check, and why. Nothing is edited: the amendment is
/// appended to the case and its history keeps the original. Fields left out stay as they are;
/// <c>addEvidence</c> adds to the evidence. A finding takes description, severity, area, method;
/// a funding check takes the amounts, irregularities, idleMonths, overspendReason and severity.
/// </summary>
public sealed record AmendFinding(
    long? ExpectedVersion, string? Reason,
    string? Description, Severity? Severity, int? Area, InspectionMethod? Method, IReadOnlyList<Evidence>? AddEvidence,
    decimal? Allocated, decimal? Arrived, decimal? Spent, IReadOnlyList<FundIrregularity>? Irregularities, int? IdleMonths,
    string? OverspendReason) : IVersionedCommand
{
    /// <summary>The inspection's team or office corrects an open record (finding, review or funding check) while the inspection is not closed.</summary>
    public Decision Decide(Case current, Inspection inspection, Caller caller, DateOnly today)
    {
        if (!AccessRules.CanCorrect(caller, inspection))
            return Refusal.Forbidden("only the inspection's team or the inspection office corrects its records");

        var checks = new Checks();
        checks.Text(Reason, "reason (why it is corrected)", Checks.LongText);
        Targets.CheckEvidence(checks, AddEvidence);
        var added = Targets.Evidence(AddEvidence);
        object amendment;
        if (current.Kind != CaseKind.FundingCheck)
        {
            checks.That(Allocated is null && Arrived is null && Spent is null && Irregularities is null
                        && IdleMonths is null && OverspendReason is null,
                "amounts and irregularities belong to funding checks, not findings");
            checks.Text(Description, "description", Checks.LongText, required: false);
            checks.That(Area is null || current.Kind == CaseKind.Finding, "an identification review stays in content area 4");
            if (Area is { } area)
                checks.That(ContentAreas.IsValid(area) && inspection.ContentAreas.Contains((ContentArea)area),
                    $"content area {area} is not one this inspection examines");
            var description = Description?.Trim();
            var changes = (description is not null && description != current.Description)
                          || (Severity is not null && Severity != current.Severity)
                          || (Area is not null && Area != (int)current.Area)
                          || (Method is not null && Method != current.Method)
                          || added.Count > 0;
            checks.That(changes, "the amendment changes nothing");
            amendment = new FindingAmended(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
                current.VillageCode, Reason?.Trim() ?? "", description, Severity, (ContentArea?)Area,
                Method, added, today);
        }
        else
        {
            checks.That(Description is null && Area is null && Method is null,
                "a funding check's description, area and method follow from the check itself and are not amended");
            checks.Amount(Allocated, "allocated", required: false)
                .Amount(Arrived, "arrived", required: false)
                .Amount(Spent, "spent", required: false);
            var figures = current.Funding!;
            var irregularities = Irregularities ?? figures.Irregularities;
            var idleMonths = FundingRules.IdleMonthsAfter(figures.IdleMonths, Irregularities, IdleMonths);
            if (checks.Ok)
                FundingRules.Check(checks, Arrived ?? figures.Arrived, Spent ?? figures.Spent, irregularities,
                    idleMonths, OverspendReason ?? figures.OverspendReason);
            var changes = (Allocated is not null && Allocated != figures.Allocated)
                          || (Arrived is not null && Arrived != figures.Arrived)
                          || (Spent is not null && Spent != figures.Spent)
                          || (Irregularities is not null && !Irregularities.SequenceEqual(figures.Irregularities))
                          || (IdleMonths is not null && IdleMonths != figures.IdleMonths)
                          || (OverspendReason is not null && OverspendReason != figures.OverspendReason)
                          || (Severity is not null && Severity != current.Severity)
                          || added.Count > 0;
            checks.That(changes, "the amendment changes nothing");
            var severity = Severity
                           ?? (Irregularities is not null && current.Severity is null ? FundingRules.DefaultSeverity(irregularities) : null);
            amendment = new FundingCheckAmended(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
                current.VillageCode, Reason?.Trim() ?? "", Allocated, Arrived, Spent,
                Irregularities, IdleMonths, OverspendReason?.Trim(), severity, added, today);
        }
        if (checks.ToRefusal() is { } invalid) return invalid;

        if (current.Status == CaseStatus.Withdrawn) return Refusal.Conflict("the record has been withdrawn; it cannot be amended");
        if (inspection.Status == InspectionStatus.Closed) return Refusal.Conflict("the inspection is closed; its records are final");
        return Decision.Accept(amendment);
    }
}
