using Ledger.Api.Storage;
using Ledger.Api.Audit;
using Ledger.Api.Auth;
using Ledger.Api.Registry;
using Ledger.Api.Setup;
using Ledger.Api.Security;
using Ledger.Domain.Common;
using Marten;

namespace Ledger.Api.Cli;

/// <summary>
/// The ledger's own command-line commands:
/// <code>
/// token --user NAME --role ROLE [--scope CODE] [--county CODE] [--hours N]   (N at most 24; the token's id on stderr)
/// token revoke TOKEN-ID --reason TEXT [--county CODE]
/// registry import FILE [FILE ...] [--county CODE]
/// ledger verify [--from SEQUENCE] [--to SEQUENCE]
/// ledger verify --views [--county CODE]
/// ledger reencrypt [--county CODE]
/// </code>
/// Anything else is left to the JasperFx command line (the web host by default).
/// </summary>
public static class LedgerCommands
{
    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (args.Length == 0) return null;
        try
        {
            return args[0] switch
            {
                "token" when args.Length > 1 && args[1] == "revoke" => await RevokeTokenAsync(Options.Parse(args[2..])),
                "token" => IssueToken(Options.Parse(args[1..])),
                "registry" when args.Length > 1 && args[1] == "import" => await ImportRegistryAsync(Options.Parse(args[2..])),
                "ledger" when args.Length > 1 && args[1] == "verify" && args.Contains("--views") =>
                    await VerifyViewsAsync(Options.Parse([.. args[2..].Where(a => a != "--views")])),
                "ledger" when args.Length > 1 && args[1] == "verify" => await VerifyLedgerAsync(Options.Parse(args[2..])),
                "ledger" when args.Length > 1 && args[1] == "reencrypt" => await ReencryptAsync(Options.Parse(args[2..])),
                _ => null,
            };
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }

    private static int IssueToken(Options options)
    {
        var settings = JwtSettings.From(BuildConfiguration());
        var hours = options.Named.TryGetValue("hours", out var h)
            ? double.TryParse(h, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > 0 && parsed <= TokenIssuer.MaxLifetime.TotalHours
                ? parsed : throw new ArgumentException($"--hours must be a number above 0 and at most {TokenIssuer.MaxLifetime.TotalHours:0}")
            : 12;
        var token = new TokenIssuer(settings, TimeProvider.System).Issue(
            options.Require("user"), options.Require("role"), options.Named.GetValueOrDefault("scope"),
            options.Named.GetValueOrDefault("county") ?? Counties.Xinfeng, TimeSpan.FromHours(hours));
        Console.WriteLine(token);
        Console.Error.WriteLine($"token id: {TokenIssuer.IdOf(token)} (to revoke it: token revoke {TokenIssuer.IdOf(token)} --reason ...)");
        return 0;
    }

    /// <summary>Puts a token on its county's revocation list; exit code 1 when refused (already revoked, no reason).</summary>
    private static async Task<int> RevokeTokenAsync(Options options)
    {
        if (options.Positional.Count != 1) throw new ArgumentException("usage: token revoke TOKEN-ID --reason TEXT [--county CODE]");
        var county = options.Named.GetValueOrDefault("county") ?? Counties.Xinfeng;
        if (!Counties.IsValidCode(county)) throw new ArgumentException($"county '{county}' must be a 6-digit statistics code");
        await using var app = await OpenLedgerAsync();
        var refusal = await RevokeTokenEndpoint.RevokeAsync(app.Services.GetRequiredService<IDocumentStore>(), county,
            new Domain.Access.RevokeToken(options.Positional[0], options.Named.GetValueOrDefault("reason")), $"cli:{Environment.UserName}",
            ChinaTime.Today(DateTimeOffset.UtcNow), CancellationToken.None);
        if (refusal is not null)
        {
            Console.Error.WriteLine(refusal.Message);
            return 1;
        }
        Console.WriteLine($"{county}: token {options.Positional[0]} revoked");
        return 0;
    }

    private static async Task<int> ImportRegistryAsync(Options options)
    {
        if (options.Positional.Count == 0) throw new ArgumentException("usage: registry import FILE [FILE ...] [--county CODE]");
        var county = options.Named.GetValueOrDefault("county") ?? Counties.Xinfeng;
        if (!Counties.IsValidCode(county)) throw new ArgumentException($"county '{county}' must be a 6-digit statistics code");

        await using var app = await OpenLedgerAsync();
        var store = app.Services.GetRequiredService<IDocumentStore>();

        foreach (var file in options.Positional)
        {
            await using var session = store.LightweightSession(county);
            session.LastModifiedBy = $"cli:{Environment.UserName}";
            session.SetHeader(ActorMiddleware.RoleHeader, "system");
            var plan = await ImportRegistry.PlanAsync(await File.ReadAllTextAsync(file), session, DateTimeOffset.UtcNow, CancellationToken.None);
            if (!plan.IsValid)
            {
                Console.Error.WriteLine($"{file}: refused whole, nothing imported:");
                foreach (var error in plan.Errors) Console.Error.WriteLine($"  line {error.Line}: {error.Reason}");
                return 1;
            }
            ImportRegistry.Append(plan, session);
            await session.SaveChangesAsync();
            var result = ImportRegistry.Summarise(plan);
            Console.WriteLine($"{file}: {result.KindLabel} {result.Rows} rows, {result.Unchanged} unchanged, {result.EventsAppended} events appended");
        }
        return 0;
    }

    /// <summary>Recomputes the hash chain and prints the first broken link; exit code 1 when the ledger was altered.</summary>
    private static async Task<int> VerifyLedgerAsync(Options options)
    {
        long Sequence(string name, long fallback) => options.Named.TryGetValue(name, out var text)
            ? long.TryParse(text, out var value) && value >= 0 ? value : throw new ArgumentException($"--{name} must be a sequence number")
            : fallback;
        await using var app = await OpenLedgerAsync();
        var chain = app.Services.GetRequiredService<HashChain>();
        var broken = 0;
        foreach (var database in await app.Services.GetRequiredService<IDocumentStore>().DatabasesAsync())
        {
            var result = await chain.VerifyAsync(database, Sequence("from", 0), Sequence("to", long.MaxValue), CancellationToken.None);
            var digest = await chain.DigestAsync(database, CancellationToken.None);
            Console.WriteLine($"{database.NameOf()}: checked {result.Checked} events ({result.From}–{result.To}); digest {digest.Value}, head {digest.HeadHash}");
            if (result.Intact)
            {
                Console.WriteLine("intact: every event is as it was chained");
                continue;
            }
            broken++;
            if (result.Alarm is { } alarm) Console.WriteLine($"ALARM: {alarm.Detail}");
            if (result.FirstBroken is { } first)
                Console.WriteLine($"BROKEN: {result.Problems} problem(s); first at sequence {first.Sequence}: {first.Kind} — {first.Detail}");
        }
        return broken == 0 ? 0 : 1;
    }

    /// <summary>
    /// Rebuilds the inline documents of each county (or of <c>--county</c>) from its events and prints one line
    /// per document stored otherwise; exit code 1 when any differs (the remedy: <c>projections rebuild</c>).
    /// </summary>
    private static async Task<int> VerifyViewsAsync(Options options)
    {
        var only = options.Named.GetValueOrDefault("county");
        if (only is not null && !Counties.IsValidCode(only)) throw new ArgumentException($"county '{only}' must be a 6-digit statistics code");
        await using var app = await OpenLedgerAsync();
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var check = new ViewCheck(store);
        long differing = 0;
        var counties = only is not null ? [only] : new List<string>();
        if (only is null)
            foreach (var database in await store.DatabasesAsync()) counties.AddRange(await check.CountiesAsync(database, CancellationToken.None));
        foreach (var county in counties)
        {
            var result = await check.VerifyAsync(county, CancellationToken.None);
            foreach (var d in result.Differing)
                Console.WriteLine($"{county} {d.Type} {d.Id} {d.Kind}{(d.Fields.Count > 0 ? " " + string.Join(",", d.Fields) : "")}");
            if (result.DifferingCount > result.Differing.Count)
                Console.WriteLine($"{county}: … and {result.DifferingCount - result.Differing.Count} more");
            Console.WriteLine($"{county}: checked {result.Checked} documents, {result.DifferingCount} differ from their events");
            differing += result.DifferingCount;
        }
        return differing == 0 ? 0 : 1;
    }

    /// <summary>
    /// Brings every encrypted field under the current key (<see cref="Reencryption"/>) and prints one line
    /// per county; exit code 1 when a value could not be decrypted with any configured key.
    /// </summary>
    private static async Task<int> ReencryptAsync(Options options)
    {
        var only = options.Named.GetValueOrDefault("county");
        if (only is not null && !Counties.IsValidCode(only)) throw new ArgumentException($"county '{only}' must be a 6-digit statistics code");
        await using var app = await OpenLedgerAsync();
        var results = await app.Services.GetRequiredService<Reencryption>().RunAsync(only, $"cli:{Environment.UserName}", CancellationToken.None);
        foreach (var result in results)
        {
            foreach (var problem in result.Unreadable) Console.WriteLine($"{result.County} UNREADABLE {problem}");
            Console.WriteLine($"{result.County}: {result.Reencrypted} re-encrypted under key {result.KeyId}, {result.AlreadyCurrent} already under it, " +
                              $"{result.Unreadable.Count} unreadable");
        }
        return results.All(r => r.Unreadable.Count == 0) ? 0 : 1;
    }

    /// <summary>The host's services without serving: for commands that work on the database.</summary>
    public static async Task<WebApplication> OpenLedgerAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddLedger();
        var app = builder.Build();
        await app.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return app;
    }

    private static IConfiguration BuildConfiguration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    private sealed record Options(Dictionary<string, string> Named, List<string> Positional)
    {
        public static Options Parse(string[] args)
        {
            var named = new Dictionary<string, string>();
            var positional = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
                    named[args[i][2..]] = args[++i];
                }
                else positional.Add(args[i]);
            }
            return new Options(named, positional);
        }

        public string Require(string name) =>
            Named.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new ArgumentException($"--{name} is required");
    }
}
