using System.Text.RegularExpressions;

namespace Ledger.Domain.Common;

/// <summary>Collects what is wrong with a command's input, field by field.</summary>
public sealed partial class Checks
{
    public const int ShortText = 200;
    public const int LongText = 5000;
    public const decimal MaxAmount = 1_000_000_000_000m;

    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;
    public bool Ok => _errors.Count == 0;

    public Checks Add(string error)
    {
        _errors.Add(error);
        return this;
    }

    public Checks That(bool condition, string error) => condition ? this : Add(error);

    /// <summary>Required text: not empty or blank, at most <paramref name="max"/> characters, no control characters but line breaks and tabs.</summary>
    public Checks Text(string? value, string field, int max = ShortText, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
            return required ? Add($"{field} is required") : this;
        if (value.Length > max) Add($"{field} is longer than {max} characters");
        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            Add($"{field} contains control characters");
        return this;
    }

    /// <summary>Yuan with at most 2 decimal places, not negative.</summary>
    public Checks Amount(decimal? value, string field, bool required = true)
    {
        if (value is null) return required ? Add($"{field} is required") : this;
        if (value < 0) Add($"{field} must not be negative");
        else if (value > MaxAmount) Add($"{field} is larger than {MaxAmount:0} yuan");
        if (decimal.Round(value.Value, 2) != value.Value) Add($"{field} has more than 2 decimal places (yuan and fen)");
        return this;
    }

    public Checks Sha256(string? value, string field)
    {
        if (value is not null && !Sha256Pattern().IsMatch(value)) Add($"{field} must be 64 hexadecimal characters (SHA-256)");
        return this;
    }

    public Refusal? ToRefusal() => Ok ? null : Refusal.Invalid(_errors);

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
