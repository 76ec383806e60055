using Ledger.Domain.Common;

namespace Ledger.Domain.Identification;

/// <summary>A household's income and three guarantees as assessed for one year.</summary>
public sealed record HouseholdYear(int Year, decimal PerCapitaIncome, ThreeGuarantees Guarantees, int Size, DateOnly AssessedOn,
    bool? CapacityToWork = null, bool? SafetyNet = null);

/// <summary>The write model of a household record (建档立卡户), kept as an inline snapshot.</summary>
public sealed record Household(
    Guid Id, string Code, string TownCode, string VillageCode, string HeadNameMasked, int Size,
    string? IdNumberMasked, string? IdNumberEncrypted, DateOnly RegisteredOn, IReadOnlyList<HouseholdYear> Assessments)
{
    public long Version { get; set; }

    public static Household Create(HouseholdRegistered e) => new(
        e.HouseholdId, e.HouseholdCode, e.TownCode, e.VillageCode, e.HeadNameMasked, e.Size,
        e.IdNumberMasked is { } masked ? Masking.IdNumber(masked) : null, e.IdNumberEncrypted, e.RegisteredOn, []);

    public Household Apply(IdNumberReencrypted e) => this with { IdNumberEncrypted = e.IdNumberEncrypted };

    /// <summary>Showing the whole number changes nothing in the record; the event is its trace.</summary>
    public Household Apply(IdNumberRevealed e) => this;

    public Household Apply(HouseholdAssessed e) => this with
    {
        Size = e.Size,
        Assessments = [.. Assessments.Where(a => a.Year != e.Year), new HouseholdYear(e.Year, e.PerCapitaIncome, e.Guarantees, e.Size, e.AssessedOn, e.CapacityToWork, e.SafetyNet)],
    };

    public HouseholdYear? AssessmentFor(int year) => Assessments.LastOrDefault(a => a.Year == year);
}

/// <summary>
/// Personal data shown masked: a name keeps its first character, an ID number its first and last
/// character only (enough to tell two records apart at a glance, far too little to rebuild the number).
/// Masking a masked number again gives the same short mask, so numbers masked more loosely by earlier
/// versions (first 6 and last 4) are masked again wherever they are shown.
/// </summary>
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
        return trimmed.Length <= 2 ? new string('*', trimmed.Length) : trimmed[0] + new string('*', trimmed.Length - 2) + trimmed[^1];
    }
}

/// <summary>查看完整身份证号: the poverty office asks to see a household's whole ID number, and says why.</summary>
public sealed record RevealIdNumber(long? ExpectedVersion, string? Reason) : IVersionedCommand
{
    public Decision Decide(Household household, DateOnly today)
    {
        if (new Checks().Text(Reason, "reason (why the whole number is needed)", Checks.LongText).ToRefusal() is { } invalid) return invalid;
        if (household.IdNumberEncrypted is null) return Refusal.NotFound($"household {household.Code} has no ID number on record");
        return Decision.Accept(new IdNumberRevealed(household.Id, household.Code, household.TownCode, household.VillageCode, Reason!.Trim(), today));
    }
}
