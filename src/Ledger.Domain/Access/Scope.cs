using System.Diagnostics.CodeAnalysis;

namespace Ledger.Domain.Access;

/// <summary>What a respondent answers for: a town (镇街) or a unit (单位).</summary>
public enum ScopeKind
{
    /// <summary>镇（街）: a town or subdistrict, by its statistics code.</summary>
    Town,
    /// <summary>单位: a county unit, by its registry code.</summary>
    Unit,
}

/// <summary>
/// A respondent's scope, typed: <c>town:&lt;code&gt;</c> or <c>unit:&lt;code&gt;</c>, parsed once from the token's
/// <c>scope</c> claim. A town scope matches town codes only and a unit scope unit codes only, so a unit
/// whose code happens to equal a town's code gets none of that town's rights. An untyped scope (a bare
/// code, as tokens carried before) is not a scope at all: <see cref="TryParse"/> refuses it.
/// </summary>
public sealed record Scope(ScopeKind Kind, string Code)
{
    public const string TownPrefix = "town:";
    public const string UnitPrefix = "unit:";

    public static Scope Town(string code) => new(ScopeKind.Town, code);
    public static Scope Unit(string code) => new(ScopeKind.Unit, code);

    /// <summary><c>town:&lt;code&gt;</c> or <c>unit:&lt;code&gt;</c> with a code of letters, digits, '-' or '_'; anything else is no scope.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Scope? scope)
    {
        scope = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var (kind, code) = text.StartsWith(TownPrefix, StringComparison.Ordinal) ? (ScopeKind.Town, text[TownPrefix.Length..])
            : text.StartsWith(UnitPrefix, StringComparison.Ordinal) ? (ScopeKind.Unit, text[UnitPrefix.Length..])
            : (ScopeKind.Town, "");
        if (code.Length is 0 or > 64 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        scope = new Scope(kind, code);
        return true;
    }

    /// <summary>This town's scope?</summary>
    public bool IsTown(string? code) => Kind == ScopeKind.Town && code is not null && Code == code;

    /// <summary>This unit's scope?</summary>
    public bool IsUnit(string? code) => Kind == ScopeKind.Unit && code is not null && Code == code;

    /// <summary>Does a record of this town and/or unit concern the scope (its town for a town scope, its unit for a unit scope)?</summary>
    public bool Covers(string? townCode, string? unitCode) => IsTown(townCode) || IsUnit(unitCode);

    /// <summary>The claim's form: <c>town:440233100</c>, <c>unit:wt-100</c>.</summary>
    public override string ToString() => (Kind == ScopeKind.Town ? TownPrefix : UnitPrefix) + Code;
}
