using Ledger.Domain.Common;

namespace Ledger.Api.Setup;

/// <summary>
/// The counties whose ledgers this deployment keeps, for what arrives without a token (tips):
/// <c>Ledger:ServedCounties</c> (comma-separated codes) when set; else a province's counties as
/// placed under <c>Ledger:Databases</c>; else 新丰 (440233) alone. A tip for any other county is
/// refused (404), so nobody can fill the ledger with counties it does not serve.
/// </summary>
public sealed class ServedCounties
{
    public const string Setting = "Ledger:ServedCounties";

    public IReadOnlySet<string> All { get; }

    public ServedCounties(IConfiguration configuration)
    {
        var listed = (configuration[Setting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var bad = listed.Where(c => !Counties.IsValidCode(c)).ToList();
        if (bad.Count > 0) throw new InvalidOperationException($"{Setting}: not county codes: {string.Join(", ", bad)}");
        All = listed.Length > 0 ? listed.ToHashSet()
            : CountyDatabases.From(configuration).SelectMany(d => d.Counties).ToHashSet() is { Count: > 0 } placed ? placed
            : new HashSet<string> { Counties.Xinfeng };
    }

    public bool Serves(string county) => All.Contains(county);
}
