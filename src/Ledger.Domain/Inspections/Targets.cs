using Ledger.Domain.Common;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Inspections;

/// <summary>What a finding or funding check is about, checked against the registry and the inspection's scope.</summary>
public static class Targets
{
    public sealed record Target(string? Town, string? Unit, string? Village);

    /// <summary>Checks the codes; a village's town is filled in from the registry when not given.</summary>
    public static Target Check(Checks checks, string? town, string? unit, string? village, Inspection inspection, RegistryState registry)
    {
        town = string.IsNullOrWhiteSpace(town) ? null : town.Trim();
        unit = string.IsNullOrWhiteSpace(unit) ? null : unit.Trim();
        village = string.IsNullOrWhiteSpace(village) ? null : village.Trim();
        if (town is null && unit is null && village is null)
        {
            checks.Add("name the target: a town, a unit and/or a village");
            return new Target(null, null, null);
        }
        if (town is not null && !registry.Towns.ContainsKey(town)) checks.Add($"unknown town code '{town}'");
        if (unit is not null && !registry.Units.ContainsKey(unit)) checks.Add($"unknown unit code '{unit}'");
        if (village is not null)
        {
            if (!registry.Villages.TryGetValue(village, out var known)) checks.Add($"unknown village code '{village}'");
            else if (town is not null && known.TownCode != town) checks.Add($"village {village} lies in town {known.TownCode}, not {town}");
            else if (town is null && inspection.TownCodes.Contains(known.TownCode)) town = known.TownCode;
        }
        if (checks.Ok)
            foreach (var problem in inspection.OutOfScope(town, unit, village, registry)) checks.Add(problem);
        return new Target(town, unit, village);
    }

    public static void CheckEvidence(Checks checks, IReadOnlyList<Evidence>? evidence)
    {
        var list = evidence ?? [];
        checks.That(list.Count <= 100, "at most 100 pieces of evidence at once");
        for (var i = 0; i < list.Count; i++)
        {
            checks.Text(list[i]?.Title, $"evidence[{i}].title");
            checks.Sha256(list[i]?.Sha256, $"evidence[{i}].sha256");
        }
    }

    public static IReadOnlyList<Evidence> Evidence(IReadOnlyList<Evidence>? evidence) =>
        (evidence ?? []).Select(e => e with { Title = e.Title.Trim(), Sha256 = e.Sha256?.ToLowerInvariant() }).ToList();
}
