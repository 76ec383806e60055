using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Inspections;

/// <summary>
/// 资金检查: a fund (and its source level), the project, and the amounts allocated, arrived and
/// spent in yuan (2 decimal places). Irregularities make it a finding in content area 7.
/// </summary>
public sealed record RecordFundingCheck(
    string? Fund, FundSourceLevel? SourceLevel, string? Project, string? Town, string? Unit, string? Village,
    decimal? Allocated, decimal? Arrived, decimal? Spent, DateOnly? ArrivedOn,
    IReadOnlyList<FundIrregularity>? Irregularities, int? IdleMonths, string? OverspendReason,
    Severity? Severity, InspectionMethod? Method, string? Notes, IReadOnlyList<Evidence>? Evidence, DateOnly? CheckedOn)
{
    /// <summary>A member of the team records a funding check in the field (content area 7): case <paramref name="caseId"/> begins.</summary>
    public Decision Decide(Guid caseId, Inspection inspection, RegistryState registry, Caller caller, DateOnly today)
    {
        if (!AccessRules.CanRecord(caller, inspection))
            return Refusal.Forbidden("only a member of this inspection's team records its funding checks");

        var checks = new Checks();
        var target = Targets.Check(checks, Town, Unit, Village, inspection, registry);
        checks.That(inspection.ContentAreas.Contains(ContentArea.FiscalFunds), "this inspection does not examine fiscal poverty funds (content area 7)");
        checks.Text(Fund, "fund");
        checks.Text(Project, "project");
        checks.That(SourceLevel is not null, $"sourceLevel is required: {Codes.Accepted<FundSourceLevel>()}");
        checks.That(Method is not null, $"method is required: {Codes.Accepted<InspectionMethod>()}");
        checks.Amount(Allocated, "allocated").Amount(Arrived, "arrived").Amount(Spent, "spent");
        var irregularities = Irregularities ?? [];
        if (checks.Ok)
            FundingRules.Check(checks, Arrived!.Value, Spent!.Value, irregularities, IdleMonths, OverspendReason);
        checks.That(ArrivedOn is null || ArrivedOn <= today, "arrivedOn is in the future");
        checks.That(Severity is null || irregularities.Count > 0, "severity is for a check with irregularities");
        checks.Text(Notes, "notes", Checks.LongText, required: false);
        Targets.CheckEvidence(checks, Evidence);
        var checkedOn = CheckedOn ?? today;
        checks.That(checkedOn <= today, "checkedOn is in the future");
        if (checks.ToRefusal() is { } invalid) return invalid;

        if (inspection.Status != InspectionStatus.InField)
            return Refusal.Conflict($"records are accepted only while the inspection is in the field; it is {Codes.LabelOf(inspection.Status)}");

        return Decision.Accept(new FundingCheckRecorded(caseId, inspection.Id, inspection.Year,
            target.Town, target.Unit, target.Village, Fund!.Trim(), SourceLevel!.Value, Project!.Trim(),
            Allocated!.Value, Arrived!.Value, Spent!.Value, ArrivedOn,
            irregularities, IdleMonths, OverspendReason?.Trim(),
            Severity ?? FundingRules.DefaultSeverity(irregularities), Method!.Value, Notes?.Trim(),
            Targets.Evidence(Evidence), caller.User, checkedOn));
    }
}
