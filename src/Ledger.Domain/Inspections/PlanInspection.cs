using Ledger.Domain.Common;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Inspections;

/// <summary>
/// 制定督查方案. <c>contentAreas</c> are the numbers 1–8 of Art. 9 (a comprehensive inspection
/// without any examines all eight); a special inspection names its topic; a cross-inspection
/// (交叉督查) names the inspecting town.
/// </summary>
public sealed record PlanInspection(
    InspectionKind? Kind, string? Topic, int? Year,
    IReadOnlyList<string>? Towns, IReadOnlyList<string>? Units, IReadOnlyList<int>? ContentAreas,
    IReadOnlyList<Responsibility>? Responsibilities, IReadOnlyList<string>? TaskRequirements,
    DateOnly? PlannedStart, DateOnly? PlannedEnd, bool? CrossInspection, string? InspectingTown, bool? Unannounced = null)
{
    /// <summary>The registry entries the plan names (towns, the inspecting town, units): what <see cref="Decide"/> checks against.</summary>
    public IEnumerable<string?> NamedTowns() => [.. Towns ?? [], InspectingTown];

    /// <summary>
    /// A new inspection <paramref name="id"/>, planned <paramref name="today"/> by the office of role
    /// <paramref name="plannedBy"/>, if the plan holds against the registry.
    /// </summary>
    public Decision Decide(Guid id, RegistryState registry, DateOnly today, string? plannedBy = null)
    {
        var checks = new Checks();
        var towns = (Towns ?? []).Select(t => t?.Trim() ?? "").ToList();
        var units = (Units ?? []).Select(u => u?.Trim() ?? "").ToList();
        var areaNumbers = ContentAreas ?? [];

        checks.That(Kind is not null, $"kind is required: {Codes.Accepted<InspectionKind>()}");
        if (Kind == InspectionKind.Special) checks.Text(Topic, "topic (专项督查 needs its topic)");
        else checks.Text(Topic, "topic", required: false);
        checks.That(Year is { } year && year >= 2000 && year <= today.Year + 1,
            $"year must be between 2000 and {today.Year + 1}");
        checks.That(towns.Count + units.Count > 0, "name at least one town or unit to inspect");
        foreach (var town in towns.Where(t => !registry.Towns.ContainsKey(t))) checks.Add($"unknown town code '{town}'");
        foreach (var unit in units.Where(u => !registry.Units.ContainsKey(u))) checks.Add($"unknown unit code '{unit}'");
        checks.That(towns.Distinct().Count() == towns.Count && units.Distinct().Count() == units.Count, "a town or unit is listed twice");
        foreach (var n in areaNumbers.Where(n => !Inspections.ContentAreas.IsValid(n))) checks.Add($"content area {n} does not exist: areas are 1–8 (Art. 9)");
        checks.That(areaNumbers.Distinct().Count() == areaNumbers.Count, "a content area is listed twice");
        checks.That(areaNumbers.Count > 0 || Kind != InspectionKind.Special, "a special inspection names the content areas it examines");

        var responsibilities = Responsibilities ?? [];
        checks.That(responsibilities.Count > 0, "the responsibility list (督查责任清单) needs at least one item with its owner");
        for (var i = 0; i < responsibilities.Count; i++)
        {
            checks.Text(responsibilities[i]?.Item, $"responsibilities[{i}].item", Checks.LongText);
            checks.Text(responsibilities[i]?.Owner, $"responsibilities[{i}].owner");
        }
        var requirements = TaskRequirements ?? [];
        for (var i = 0; i < requirements.Count; i++) checks.Text(requirements[i], $"taskRequirements[{i}]", Checks.LongText);

        checks.That(PlannedStart is not null && PlannedEnd is not null, "plannedStart and plannedEnd are required");
        if (PlannedStart is { } start && PlannedEnd is { } end)
        {
            checks.That(end >= start, "plannedEnd is before plannedStart");
            checks.That(Year is null || start.Year == Year, "plannedStart must fall in the inspection's year");
        }

        var cross = CrossInspection ?? false;
        var inspectingTown = InspectingTown?.Trim();
        if (cross)
        {
            checks.That(!string.IsNullOrEmpty(inspectingTown), "a cross-inspection (交叉督查) names the inspecting town");
            if (!string.IsNullOrEmpty(inspectingTown))
            {
                checks.That(registry.Towns.ContainsKey(inspectingTown), $"unknown inspecting town code '{inspectingTown}'");
                checks.That(!towns.Contains(inspectingTown), "in a cross-inspection a town never inspects itself");
            }
        }
        else checks.That(string.IsNullOrEmpty(inspectingTown), "inspectingTown is only for a cross-inspection");

        if (checks.ToRefusal() is { } refusal) return refusal;

        var areas = areaNumbers.Count == 0
            ? Enum.GetValues<ContentArea>().ToList()
            : areaNumbers.Order().Select(n => (ContentArea)n).ToList();
        return Decision.Accept(new InspectionPlanned(
            id, Kind!.Value, Topic?.Trim(), Year!.Value, towns, units, areas,
            responsibilities.Select(r => new Responsibility(r.Item.Trim(), r.Owner.Trim())).ToList(),
            requirements.Select(r => r.Trim()).ToList(),
            PlannedStart!.Value, PlannedEnd!.Value, cross, cross ? inspectingTown : null, today, Unannounced ?? false, plannedBy));
    }
}
