namespace Ledger.Domain.Identification;

/// <summary>A household's income and three guarantees as assessed for one year.</summary>
public sealed record HouseholdYear(int Year, decimal PerCapitaIncome, ThreeGuarantees Guarantees, int Size, DateOnly AssessedOn);

/// <summary>The write model of a household record (建档立卡户), kept as an inline snapshot.</summary>
public sealed record Household(
    Guid Id, string Code, string TownCode, string VillageCode, string HeadNameMasked, int Size,
    string? IdNumberMasked, string? IdNumberEncrypted, DateOnly RegisteredOn, IReadOnlyList<HouseholdYear> Assessments)
{
    public long Version { get; set; }

    public static Household Create(HouseholdRegistered e) => new(
        e.HouseholdId, e.HouseholdCode, e.TownCode, e.VillageCode, e.HeadNameMasked, e.Size,
        e.IdNumberMasked, e.IdNumberEncrypted, e.RegisteredOn, []);

    public Household Apply(HouseholdAssessed e) => this with
    {
        Size = e.Size,
        Assessments = [.. Assessments.Where(a => a.Year != e.Year), new HouseholdYear(e.Year, e.PerCapitaIncome, e.Guarantees, e.Size, e.AssessedOn)],
    };

    public HouseholdYear? AssessmentFor(int year) => Assessments.LastOrDefault(a => a.Year == year);
}

/// <summary>Personal data shown masked: a name keeps its first character, an ID number its first 6 and last 4.</summary>
public static class Masking
{
    public static string Name(string name)
    {
        var trimmed = name.Trim();
        return trimmed.Length <= 1 ? "*" : trimmed[0] + new string('*', trimmed.Length - 1);
    }

    public static string IdNumber(string id)
    {
        var trimmed = id.Trim();
        return trimmed.Length <= 10 ? new string('*', trimmed.Length) : trimmed[..6] + new string('*', trimmed.Length - 10) + trimmed[^4..];
    }
}
