namespace Ledger.Api.Setup;

/// <summary>One PostgreSQL database of a province deployment and the counties whose ledgers it holds.</summary>
public sealed record CountyDatabase(string Name, string ConnectionString, IReadOnlyList<string> Counties);

/// <summary>
/// Where each county's ledger lives. A county deployment names one database
/// (<c>ConnectionStrings:Ledger</c>) and every county shares it as a Marten conjoined tenant. A
/// province deployment also lists its databases under <c>Ledger:Databases</c>, each with the
/// counties it holds; Marten then routes every session, every projection and every query to the
/// county's own database (its static database-per-tenant tenancy). See docs/scaling.md.
/// </summary>
public static class CountyDatabases
{
    public const string Section = "Ledger:Databases";

    /// <summary>The province's databases as configured, e.g. <c>Ledger__Databases__north__ConnectionString</c> and <c>Ledger__Databases__north__Counties=440233,440229</c>.</summary>
    public static IReadOnlyList<CountyDatabase> From(IConfiguration configuration)
    {
        var databases = configuration.GetSection(Section).GetChildren()
            .Select(section => new CountyDatabase(section.Key,
                LedgerHost.Tuned(section["ConnectionString"] ?? throw new InvalidOperationException($"{Section}:{section.Key}:ConnectionString is missing")),
                (section["Counties"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
        var bad = databases.SelectMany(d => d.Counties).Where(c => !Domain.Common.Counties.IsValidCode(c)).ToList();
        if (bad.Count > 0) throw new InvalidOperationException($"{Section}: not county codes: {string.Join(", ", bad)}");
        var twice = databases.SelectMany(d => d.Counties).GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0) throw new InvalidOperationException($"{Section}: counties placed in more than one database: {string.Join(", ", twice)}");
        if (databases.Any(d => d.Counties.Count == 0))
            throw new InvalidOperationException($"{Section}: every database needs its Counties");
        return databases;
    }
}
