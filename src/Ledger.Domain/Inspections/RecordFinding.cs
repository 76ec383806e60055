using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Registry;
using Ledger.Domain.Tips;

namespace Ledger.Domain.Inspections;

/// <summary>记录督查发现. The target is a town, unit and/or village within the inspection's scope; <c>area</c> is 1–8.</summary>
public sealed record RecordFinding(
    string? Town, string? Unit, string? Village, int? Area, InspectionMethod? Method, string? Description,
    Severity? Severity, IReadOnlyList<Evidence>? Evidence, DateOnly? ObservedOn, Guid? Tip = null)
{
    /// <summary>A member of the team records a finding in the field, within the inspection's scope and content areas: case <paramref name="caseId"/> begins.</summary>
    public Decision Decide(Guid caseId, Inspection inspection, RegistryState registry, Tip? tip, Caller caller, DateOnly today)
    {
        if (!AccessRules.CanRecord(caller, inspection))
            return Refusal.Forbidden("only a member of this inspection's team records its findings");

        var checks = new Checks();
        var target = Targets.Check(checks, Town, Unit, Village, inspection, registry);
        checks.That(ContentAreas.IsValid(Area), "area is required: a content area 1–8 (Art. 9)");
        if (Area is { } area && ContentAreas.IsValid(area))
            checks.That(inspection.ContentAreas.Contains((ContentArea)area),
                $"content area {Area} is not examined by this inspection");
        checks.That(Method is not null, $"method is required: {Codes.Accepted<InspectionMethod>()}");
        checks.That(Severity is not null, $"severity is required: {Codes.Accepted<Severity>()}");
        checks.Text(Description, "description", Checks.LongText);
        Targets.CheckEvidence(checks, Evidence);
        if (Tip is not null)
        {
            checks.That(tip is not null && tip.InspectionId == inspection.Id, $"tip {Tip} is not linked to this inspection");
            checks.That(Method == InspectionMethod.PublicReport, "a finding from a tip is obtained by public report (群众举报): method public-report");
        }
        var observedOn = ObservedOn ?? today;
        checks.That(observedOn <= today, "observedOn is in the future");
        if (checks.ToRefusal() is { } invalid) return invalid;

        if (inspection.Status != InspectionStatus.InField)
            return Refusal.Conflict($"records are accepted only while the inspection is in the field; it is {Codes.LabelOf(inspection.Status)}");

        return Decision.Accept(new FindingRecorded(caseId, inspection.Id, inspection.Year,
            target.Town, target.Unit, target.Village, (ContentArea)Area!.Value, Method!.Value,
            Description!.Trim(), Severity!.Value, Targets.Evidence(Evidence), caller.User, observedOn,
            Tip));
    }
}
