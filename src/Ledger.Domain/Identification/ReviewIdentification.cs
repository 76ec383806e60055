using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Identification;

/// <summary>
/// 识别退出复核: an inspector's verdict on a decision, or on a household never identified (for
/// missed cases: name the village, and the household's code or its people). For the 漏评 rate,
/// <c>unregisteredPeopleInVillage</c> gives the unregistered rural people of the sampled village.
/// </summary>
public sealed record ReviewIdentification(
    Guid? Decision, string? Household, string? Village, int? People, int? UnregisteredPeopleInVillage,
    ReviewVerdict? Verdict, string? Description, Severity? Severity, InspectionMethod? Method,
    IReadOnlyList<Evidence>? Evidence, DateOnly? ReviewedOn)
{
    /// <summary>The severity a wrong verdict gets when the inspector states none.</summary>
    public static Severity? DefaultSeverity(ReviewVerdict verdict) => verdict switch
    {
        ReviewVerdict.Correct => null,
        ReviewVerdict.ProcedureViolated => Inspections.Severity.Minor,
        _ => Inspections.Severity.Serious,
    };

    /// <summary>
    /// A member of the team records a review in the field (content area 4): case <paramref name="caseId"/> begins.
    /// <paramref name="reviewed"/> and <paramref name="household"/> are what <c>decision</c> and <c>household</c> name, if found.
    /// </summary>
    public Decision Decide(Guid caseId, Inspection inspection, IdentificationDecision? reviewed,
        Household? household, RegistryState registry, Caller caller, DateOnly today)
    {
        if (!AccessRules.CanRecord(caller, inspection))
            return Refusal.Forbidden("only a member of this inspection's team reviews decisions in it");

        var checks = new Checks();
        checks.That(Verdict is not null, $"verdict is required: {Codes.Accepted<ReviewVerdict>()}");
        checks.Text(Description, "description", Checks.LongText);
        checks.That(inspection.ContentAreas.Contains(ContentArea.IdentificationAndExit),
            "this inspection does not examine identification and exit (content area 4)");
        if (!string.IsNullOrWhiteSpace(Household) && household is null)
            checks.Add($"unknown household code '{Household}'");
        var village = reviewed?.VillageCode ?? household?.VillageCode ?? Village?.Trim() ?? "";
        checks.That(registry.Villages.ContainsKey(village), $"unknown village code '{village}'");
        int people;
        if (reviewed is not null)
        {
            people = reviewed.People;
            checks.That(Verdict is not (ReviewVerdict.Missed),
                "漏评 (missed) is a verdict on a household never identified: name the household or village, not a decision");
            checks.That(Verdict != ReviewVerdict.WronglyExited || reviewed.Kind == DecisionKind.Exit, "错退 (wrongly exited) is a verdict on an exit decision");
            checks.That(Verdict != ReviewVerdict.WronglyEnrolled || reviewed.Kind == DecisionKind.Entry, "错评 (wrongly enrolled) is a verdict on an entry decision");
            checks.That(People is null || People == reviewed.People, "people follow from the decision reviewed");
        }
        else
        {
            people = People ?? household?.Size ?? 0;
            checks.That(people is >= 1 and <= 50, "people (in the household reviewed) is required, 1–50");
            checks.That(Verdict is null or ReviewVerdict.Correct or ReviewVerdict.Missed,
                "without a decision, the verdict is correct (rightly not enrolled) or missed (漏评)");
        }
        checks.That(UnregisteredPeopleInVillage is null or >= 1, "unregisteredPeopleInVillage must be positive");
        Targets.CheckEvidence(checks, Evidence);
        var reviewedOn = ReviewedOn ?? today;
        checks.That(reviewedOn <= today, "reviewedOn is in the future");
        if (checks.Ok)
            foreach (var problem in inspection.OutOfScope(null, null, village, registry)) checks.Add(problem);
        if (checks.ToRefusal() is { } invalid) return invalid;

        if (inspection.Status != InspectionStatus.InField)
            return Refusal.Conflict($"records are accepted only while the inspection is in the field; it is {Codes.LabelOf(inspection.Status)}");

        var verdict = Verdict!.Value;
        return Common.Decision.Accept(new IdentificationReviewed(caseId, inspection.Id, inspection.Year, registry.Villages[village].TownCode,
            null, village, reviewed?.Id, reviewed?.Kind, reviewed?.HouseholdCode ?? household?.Code, people,
            UnregisteredPeopleInVillage, verdict, Description!.Trim(),
            verdict == ReviewVerdict.Correct ? null : Severity ?? DefaultSeverity(verdict),
            Method ?? InspectionMethod.FieldInvestigation, Targets.Evidence(Evidence), caller.User, reviewedOn));
    }
}
