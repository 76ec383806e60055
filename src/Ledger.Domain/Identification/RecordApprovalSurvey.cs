using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Identification;

/// <summary>群众认可度调查: of those asked in a town (or one of its villages), how many approve.</summary>
public sealed record RecordApprovalSurvey(string? Town, string? Village, int? Respondents, int? Approving, DateOnly? SurveyedOn)
{
    /// <summary>A member of the team records a survey in the field, in a town the inspection covers: survey <paramref name="surveyId"/> begins.</summary>
    public Decision Decide(Guid surveyId, Inspection inspection, RegistryState registry, Caller caller, DateOnly today)
    {
        if (!AccessRules.CanRecord(caller, inspection))
            return Refusal.Forbidden("only a member of this inspection's team records its surveys");
        var checks = new Checks();
        var target = Targets.Check(checks, Town, null, Village, inspection, registry);
        checks.That(target.Town is not null, "town is required");
        checks.That(Respondents is >= 1 && Approving is >= 0 && Approving <= Respondents,
            "respondents (≥ 1) and approving (0 to respondents) are required");
        var surveyedOn = SurveyedOn ?? today;
        checks.That(surveyedOn <= today, "surveyedOn is in the future");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (inspection.Status != InspectionStatus.InField)
            return Refusal.Conflict($"records are accepted only while the inspection is in the field; it is {Codes.LabelOf(inspection.Status)}");
        return Decision.Accept(new PublicApprovalSurveyed(surveyId, inspection.Id, inspection.Year, target.Town!,
            target.Village, Respondents!.Value, Approving!.Value, caller.User, surveyedOn));
    }
}

/// <summary>
/// A survey's stream, for the write path: one <see cref="PublicApprovalSurveyed"/> and nothing after it.
/// The accuracy figures read the events themselves.
/// </summary>
public sealed record ApprovalSurvey(Guid Id, Guid InspectionId, int Year, string TownCode, string? VillageCode)
{
    public static ApprovalSurvey Create(PublicApprovalSurveyed e) => new(e.SurveyId, e.InspectionId, e.Year, e.TownCode, e.VillageCode);
}
