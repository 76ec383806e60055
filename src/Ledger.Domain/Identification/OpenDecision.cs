using Ledger.Domain.Common;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Identification;

/// <summary>
/// 启动识别/退出程序. A household decision takes its figures from the household's assessment for
/// the year; a village decision states the village's per-capita income, registered residents and
/// poor people.
/// </summary>
public sealed record OpenDecision(
    DecisionSubject? Subject, DecisionKind? Kind, int? Year, string? Village, string? Household,
    decimal? PerCapitaIncome, int? RegisteredResidents, int? PoorPeople)
{
    /// <summary>
    /// Opens the decision <paramref name="id"/>, given the household it names (null if none or
    /// unknown), the registry's entry for its village, the decisions in progress in that village,
    /// the household's earlier decisions and the county's minimum notice days; a household exit records
    /// <paramref name="exitLine"/> (the county's line for the year with its source; null: the ledger's default).
    /// </summary>
    public Decision Decide(Guid id, Household? household, RegistryState registry,
        IReadOnlyList<IdentificationDecision> inProgress, IReadOnlyList<IdentificationDecision> householdHistory,
        int minimumNoticeDays, DateOnly today, CountySetting? exitLine = null)
    {
        var checks = new Checks();
        checks.That(Subject is not null, $"subject is required: {Codes.Accepted<DecisionSubject>()}");
        checks.That(Kind is not null, $"kind is required: {Codes.Accepted<DecisionKind>()}");
        checks.That(Year is >= 2000 && Year <= today.Year + 1, $"year must be between 2000 and {today.Year + 1}");
        if (Subject == DecisionSubject.Household)
        {
            checks.That(!string.IsNullOrWhiteSpace(Household), "household (its code) is required for a household decision");
            if (!string.IsNullOrWhiteSpace(Household) && household is null)
                return Refusal.NotFound($"no household {Household} in this county");
            checks.That(PerCapitaIncome is null && RegisteredResidents is null && PoorPeople is null,
                "a household decision takes its figures from the household's assessment, not from the request");
        }
        if (Subject == DecisionSubject.Village)
        {
            checks.That(registry.Villages.ContainsKey(Village?.Trim() ?? ""), $"unknown village code '{Village}'");
            checks.That(Household is null, "a village decision names no household");
            checks.Amount(PerCapitaIncome, "perCapitaIncome");
            checks.That(RegisteredResidents is >= 1, "registeredResidents (户籍人口) is required");
            checks.That(PoorPeople is >= 0 && PoorPeople <= RegisteredResidents,
                "poorPeople is required and cannot exceed registeredResidents");
        }
        if (checks.ToRefusal() is { } invalid) return invalid;

        var subject = Subject!.Value;
        var kind = Kind!.Value;
        var year = Year!.Value;
        if (subject == DecisionSubject.Household)
        {
            var assessment = household!.AssessmentFor(year);
            if (assessment is null)
                return Refusal.Conflict($"household {household.Code} has no assessment (income, three guarantees) for {year}: record it first");
            if (inProgress.Any(d => d.HouseholdId == household.Id))
                return Refusal.Conflict($"household {household.Code} already has a decision in progress");
            var status = HouseholdStatusOf(householdHistory);
            if (kind == DecisionKind.Entry && status == HouseholdStatus.Enrolled)
                return Refusal.Conflict($"household {household.Code} is already enrolled (已建档立卡)");
            if (kind == DecisionKind.Exit && status != HouseholdStatus.Enrolled)
                return Refusal.Conflict($"household {household.Code} is {Codes.LabelOf(status)}: only an enrolled household exits");
            return Decision.Accept(new DecisionOpened(id, subject, kind, year, household.TownCode, household.VillageCode,
                household.Id, household.Code, assessment.Size,
                new DecisionBasis(assessment.PerCapitaIncome, assessment.Guarantees, null, null, assessment.CapacityToWork, assessment.SafetyNet,
                    kind == DecisionKind.Exit ? exitLine ?? Standards.DefaultExitLine(year) : null), minimumNoticeDays, today));
        }

        var village = registry.Villages[Village!.Trim()];
        if (inProgress.Any(d => d.Subject == DecisionSubject.Village))
            return Refusal.Conflict($"village {village.Code} already has a village decision in progress");
        if (kind == DecisionKind.Entry && village.Status == VillageStatus.RelativelyPoor)
            return Refusal.Conflict($"village {village.Code} is already a relatively-poor village");
        if (kind == DecisionKind.Exit && village.Status != VillageStatus.RelativelyPoor)
            return Refusal.Conflict($"village {village.Code} is not a relatively-poor village: it cannot exit");
        return Decision.Accept(new DecisionOpened(id, subject, kind, year, village.TownCode, village.Code, null, null,
            PoorPeople!.Value,
            new DecisionBasis(PerCapitaIncome, null, RegisteredResidents, PoorPeople), minimumNoticeDays, today));
    }

    /// <summary>A household's status follows from its completed decisions: the last one completed decides.</summary>
    public static HouseholdStatus HouseholdStatusOf(IEnumerable<IdentificationDecision> decisions) =>
        decisions.Where(d => d.State == DecisionState.Completed)
            .OrderBy(d => d.Steps[^1].Date).ThenBy(d => d.OpenedOn)
            .Select(d => d.Kind == DecisionKind.Entry ? HouseholdStatus.Enrolled : HouseholdStatus.Exited)
            .LastOrDefault(HouseholdStatus.NotEnrolled);
}
