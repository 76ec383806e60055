using Ledger.Domain.Common;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Identification;

/// <summary>
/// 建档立卡户登记: a household record in a village. The head's name is stored masked only; an ID
/// number, when given, is stored encrypted with a masked copy for display.
/// </summary>
public sealed record RegisterHousehold(string? Code, string? Village, string? HeadName, int? Size, string? IdNumber)
{
    /// <summary>A household's stream id follows from its county and code: one record per household number.</summary>
    public static Guid IdOf(string county, string code) => StableId.For("household", county, code);

    /// <summary>
    /// Registers the household on the stream <paramref name="id"/> (the one its code gives), which is
    /// <paramref name="existing"/> if a household with that code is already registered.
    /// </summary>
    public Decision Decide(Guid id, Household? existing, RegistryState registry, Encryptor encryptor, DateOnly today)
    {
        var checks = new Checks();
        var code = Code?.Trim() ?? "";
        checks.That(RegistryImport.IsValidUnitCode(code), "code is required: 1–32 letters, digits, '-' or '_' (the county's household number)");
        checks.Text(HeadName, "headName", 50);
        checks.That(Size is >= 1 and <= 50, "size (people in the household) must be 1–50");
        var village = Village?.Trim() ?? "";
        checks.That(registry.Villages.ContainsKey(village), $"unknown village code '{village}'");
        var idNumber = IdNumber?.Trim();
        if (!string.IsNullOrEmpty(idNumber))
        {
            checks.That(idNumber.Length == 18 && idNumber[..17].All(char.IsAsciiDigit) && (char.IsAsciiDigit(idNumber[17]) || idNumber[17] is 'X' or 'x'),
                "idNumber must be an 18-character resident ID number");
            checks.That(encryptor.Enabled, $"ID numbers are kept only encrypted, and no key ({encryptor.KeyName}) is configured");
        }
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (existing is not null) return Refusal.Conflict($"household {Code} is already registered");

        var keepId = !string.IsNullOrEmpty(idNumber);
        return Decision.Accept(new HouseholdRegistered(id, code, registry.Villages[village].TownCode, village,
            Masking.Name(HeadName!), Size!.Value,
            keepId ? Masking.IdNumber(idNumber!.ToUpperInvariant()) : null,
            keepId ? encryptor.Encrypt!(idNumber!.ToUpperInvariant()) : null, today));
    }
}

/// <summary>
/// 家庭收入及三保障核定 for one year: per-capita disposable income in yuan and the three guarantees;
/// optionally whether the household has capacity to work (false: 无劳动能力) and is covered by 兜底保障.
/// </summary>
public sealed record AssessHousehold(long? ExpectedVersion, int? Year, decimal? PerCapitaIncome, ThreeGuarantees? Guarantees, int? Size, DateOnly? AssessedOn,
    bool? CapacityToWork = null, bool? SafetyNet = null)
    : IVersionedCommand
{
    public Decision Decide(Household household, DateOnly today)
    {
        var checks = new Checks();
        checks.That(Year is >= 2000 && Year <= today.Year, $"year must be between 2000 and {today.Year}");
        checks.Amount(PerCapitaIncome, "perCapitaIncome");
        checks.That(Guarantees is not null, "guarantees {schooling, medical, housing} are required (三保障)");
        checks.That(Size is null or (>= 1 and <= 50), "size must be 1–50");
        var assessedOn = AssessedOn ?? today;
        checks.That(assessedOn <= today, "assessedOn is in the future");
        if (checks.ToRefusal() is { } invalid) return invalid;
        return Decision.Accept(new HouseholdAssessed(household.Id, household.Code, household.TownCode, household.VillageCode,
            Year!.Value, PerCapitaIncome!.Value, Guarantees!, Size ?? household.Size, assessedOn, CapacityToWork, SafetyNet));
    }
}
