using Ledger.Api.Storage;
using Ledger.Api.Audit;
using Ledger.Api.Auth;
using Ledger.Api.Registry;
using Ledger.Api.Setup;
using Ledger.Domain.Audit;
using Ledger.Api.Security;
using Ledger.Domain.Common;
using Marten;

namespace Ledger.Api.Cli;

/// <summary>
/// The ledger's own command-line commands:
/// <code>
/// token --user NAME --role ROLE [--scope town:CODE|unit:CODE] [--county CODE] [--hours N]   (N at most 24; the token's id on stderr)
/// token revoke TOKEN-ID --reason TEXT [--county CODE]
/// registry import FILE [FILE ...] [--county CODE]
/// ledger verify [--from SEQUENCE] [--to SEQUENCE]
/// ledger verify --views [--county CODE]
/// ledger audit BUNDLE.zip --key PUBLIC.pem [--saved HEAD.json]
/// ledger roles [--owner ledger_owner] [--app ledger_app]     (as a superuser: ConnectionStrings:LedgerAdmin)
/// ledger migrate                                             (as the owner: ConnectionStrings:LedgerOwner)
/// ledger reencrypt [--county CODE]
/// </code>
/// <c>ledger audit</c> needs neither the host nor a database (a reviewer runs it on a laptop, docs/audit.md): exit
/// code 0 when the bundle is intact, 1 when it has problems, 2 when the files cannot be read or the usage is wrong.
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
                "ledger" when args.Length > 1 && args[1] == "audit" => AuditOffline(Options.Parse(args[2..])),
                "ledger" when args.Length > 1 && args[1] == "verify" && args.Contains("--views") =>
                    await VerifyViewsAsync(Options.Parse([.. args[2..].Where(a => a != "--views")])),
                "ledger" when args.Length > 1 && args[1] == "verify" => await VerifyLedgerAsync(Options.Parse(args[2..])),
                "ledger" when args.Length > 1 && args[1] == "roles" => await PrepareRolesAsync(Options.Parse(args[2..])),
                "ledger" when args.Length > 1 && args[1] == "migrate" => await MigrateAsync(),
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

    /// <summary>
    /// As a superuser, in the one database of <c>ConnectionStrings:LedgerAdmin</c>: the owner and app roles
    /// (made when missing, without a password: set one with <c>\password</c> for a server that asks), and
    /// the schema with everything in it handed to the owner (<see cref="DatabaseRoles.PrepareAsync"/>).
    /// A province runs it once per database.
    /// </summary>
    private static async Task<int> PrepareRolesAsync(Options options)
    {
        var admin = BuildConfiguration().GetConnectionString("LedgerAdmin")
            ?? throw new ArgumentException("ledger roles needs a superuser's connection to the ledger's database in ConnectionStrings__LedgerAdmin");
        var owner = options.Named.GetValueOrDefault("owner") ?? DatabaseRoles.DefaultOwner;
        var app = options.Named.GetValueOrDefault("app") ?? DatabaseRoles.DefaultApp;
        await using var connection = new Npgsql.NpgsqlConnection(admin);
        await connection.OpenAsync();
        await DatabaseRoles.PrepareAsync(connection, owner, app);
        Console.WriteLine($"{connection.Database}: roles {owner} (owns schema {MartenSetup.Schema}) and {app} ready; next: ledger migrate as {owner}");
        return 0;
    }

    /// <summary>Makes or patches the schema as its owner and grants the API's role (see <see cref="LedgerMigration"/>).</summary>
    private static async Task<int> MigrateAsync()
    {
        try
        {
            await LedgerMigration.MigrateAsync(Console.Out);
            return 0;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

        /// <summary>Recomputes the log of every county of every database and prints, per county, the first broken link; exit code 1 when any was altered.</summary>
    private static async Task<int> VerifyLedgerAsync(Options options)
    {
        long Sequence(string name, long fallback) => options.Named.TryGetValue(name, out var text)
            ? long.TryParse(text, out var value) && value >= 0 ? value : throw new ArgumentException($"--{name} must be a sequence number")
            : fallback;
        await using var app = await OpenLedgerAsync();
        var chain = app.Services.GetRequiredService<HashChain>();
        var broken = 0;
        foreach (var database in await app.Services.GetRequiredService<IDocumentStore>().DatabasesAsync())
        foreach (var county in await chain.CountiesAsync(database, CancellationToken.None))
        {
            var result = await chain.VerifyAsync(database, county, Sequence("from", 0), Sequence("to", long.MaxValue), CancellationToken.None);
            var digest = await chain.DigestAsync(database, county, CancellationToken.None);
            Console.WriteLine($"{county} ({database.NameOf()}): checked {result.Checked} events ({result.From}–{result.To}); digest {digest.Value}, head {digest.HeadHash}");
            if (result.Intact)
            {
                Console.WriteLine($"{county}: intact: every event is as it was chained");
                continue;
            }
            broken++;
            if (result.Alarm is { } alarm) Console.WriteLine($"{county}: ALARM: {alarm.Detail}");
            if (result.FirstBroken is { } first)
                Console.WriteLine($"{county}: BROKEN: {result.Problems} problem(s); first at sequence {first.Sequence}: {first.Kind} — {first.Detail}");
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
            var checkpoints = await app.Services.GetRequiredService<Accountability.AccountabilityCheckpoints>().VerifyAsync(county, CancellationToken.None);
            foreach (var c in checkpoints)
                Console.WriteLine($"{county} checkpoint {c.Sequence} year {c.Year}: {c.Kind}");
            if (checkpoints.Count > 0) Console.WriteLine($"{county}: {checkpoints.Count} accountability checkpoint rows differ from their events");
            differing += checkpoints.Count;
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
    /// Checks a county's audit bundle offline (<see cref="OfflineAudit"/>) with the reviewer's own copy of the public key and,
    /// optionally, a head the reviewer saved earlier; builds no host and opens no database. Prints what was checked and
    /// every problem, located.
    /// </summary>
    private static int AuditOffline(Options options)
    {
        const string usage = "usage: ledger audit BUNDLE.zip --key PUBLIC.pem [--saved HEAD.json]";
        if (options.Positional.Count != 1 || options.Named.Keys.Any(k => k is not ("key" or "saved"))) throw new ArgumentException(usage);
        AuditReport report;
        try
        {
            var key = File.ReadAllText(options.Require("key"));
            var saved = options.Named.TryGetValue("saved", out var savedPath) ? File.ReadAllText(savedPath) : null;
            using var bundle = File.OpenRead(options.Positional[0]);
            report = OfflineAudit.Run(bundle, key, saved);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read: {e.Message}", e);
        }

        if (report.Head is { } head)
        {
            var period = report.From is null && report.To is null ? "the whole log" : $"the period {report.From:yyyy-MM-dd} – {report.To:yyyy-MM-dd}";
            Console.WriteLine($"bundle: county {report.County}, {period}");
            Console.WriteLine($"head:   size {head.TreeSize}, root {head.MerkleRoot}, time {head.Time}, last sequence {head.LastSequence}");
            Console.WriteLine(report.FirstLeaf <= report.LastLeaf
                ? $"events: {report.EventsChecked} checked, leaves {report.FirstLeaf}–{report.LastLeaf} of {report.LeavesRead} in leaves.txt"
                : $"events: {report.EventsChecked} checked (the period has none), {report.LeavesRead} leaves in leaves.txt");
            Console.WriteLine($"heads:  the bundle's and {report.HeadsChecked} in heads.json checked with your key, {report.ProofsChecked} consistency proofs");
        }
        if (report.SavedHead is { } mine) Console.WriteLine($"saved:  your head of size {mine.TreeSize}, root {mine.MerkleRoot}, time {mine.Time}");
        foreach (var problem in report.Problems) Console.WriteLine($"PROBLEM [{problem.Kind}] {problem.Where}: {problem.Detail}");
        if (report.Intact)
        {
            Console.WriteLine("INTACT: every event, leaf, head and proof checks out with your key");
            return 0;
        }
        var more = report.ProblemCount > report.Problems.Count ? $" (the first {report.Problems.Count} listed)" : "";
        Console.WriteLine($"NOT INTACT: {report.ProblemCount} problem(s){more}");
        return 1;
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
