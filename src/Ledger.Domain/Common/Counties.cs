namespace Ledger.Domain.Common;

/// <summary>Each county is one tenant of the ledger, identified by its statistics code.</summary>
public static class Counties
{
    /// <summary>新丰县 (Xinfeng, Shaoguan, Guangdong).</summary>
    public const string Xinfeng = "440233";

    public static bool IsValidCode(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);
}
