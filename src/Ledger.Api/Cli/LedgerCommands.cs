using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
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
/// The ledger's own command-line commands, parsed by System.CommandLine (every command and sub-command answers
/// <c>--help</c>; a wrong or missing option is one line on stderr and exit code 2):
/// <code>
/// token --user NAME --role ROLE [--scope town:CODE|unit:CODE] [--county CODE] [--hours N]   (N at most 24; the token's id on stderr)
/// token revoke TOKEN-ID --reason TEXT [--county CODE]
/// registry import FILE [FILE ...] [--county CODE]          (towns, villages, units, pairings: in that order, whatever order given)
/// accounts bootstrap [--county CODE]                         (the first administrator and its one-time password, when the county has no account)
/// [ledger] verify [--from SEQUENCE] [--to SEQUENCE]
/// [ledger] verify --views [--county CODE]
/// [ledger] audit BUNDLE.zip --key PUBLIC.pem [--saved HEAD.json]
/// [ledger] roles [--owner ledger_owner] [--app ledger_app]     (as a superuser: ConnectionStrings:LedgerAdmin)
/// [ledger] migrate                                             (as the owner: ConnectionStrings:LedgerOwner)
/// [ledger] reencrypt [--county CODE]
/// </code>
/// <c>audit</c> needs neither the host nor a database (a reviewer runs it on a laptop, docs/audit.md): exit
/// code 0 when the bundle is intact, 1 when it has problems, 2 when the files cannot be read or the usage is wrong.
/// Any failure is one line on stderr, never a stack trace: 2 for wrong usage or settings, 1 for anything else.
/// Anything that is not one of these is left to the JasperFx command line (the web host by default).
/// </summary>
public static class LedgerCommands
{
    /// <summary>The first words this command line answers; anything else goes to JasperFx's.</summary>
    private static readonly HashSet<string> Ours = ["token", "accounts", "registry", "ledger", "verify", "audit", "roles", "migrate", "reencrypt", "--help", "-h", "-?"];

    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (args.Length == 0 || !Ours.Contains(args[0])) return null;
        try
        {
            var parsed = Root().Parse(args);
            if (parsed.Action is not HelpAction && parsed.Errors.Count > 0)
            {
                // Every mistake, in one line (an unknown word first: it usually explains the rest).
                var errors = parsed.Errors.Select(e => e.Message).OrderBy(m => m.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1);
                Console.Error.WriteLine($"{string.Join("; ", errors)} (see: {string.Join(' ', ["ledger", .. CommandPath(parsed)])} --help)");
                return 2;
            }
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            Console.Error.WriteLine(OneLine(e.Message));
            return 2;
        }
        catch (Exception e)
        {
            // The database unreachable, a file vanished, ...: what went wrong, in one line, without the stack.
            var cause = e.GetBaseException();
            Console.Error.WriteLine(OneLine(cause == e ? e.Message : $"{e.Message.Split('\n')[0].Trim()}: {cause.Message}"));
            return 1;
        }
    }

    private static string OneLine(string message) => string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static IEnumerable<string> CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (SymbolResult? result = parsed.CommandResult; result is not null; result = result.Parent)
            if (result is CommandResult { Command: var command } && command is not RootCommand) names.Insert(0, command.Name);
        return names;
    }

    private static Option<string?> CountyOption(string description = "the county's 6-digit statistics code (default: Xinfeng, 440233)") =>
        new("--county") { Description = description };

    /// <summary>The whole command tree; the database commands also answer under <c>ledger</c>, as they did before.</summary>
    private static RootCommand Root()
    {
        var root = new RootCommand("Ledger: the web host when given no command (JasperFx's commands as before: db-apply, projections, ...), " +
                                   "and these commands.");

        var user = new Option<string>("--user") { Description = "who the token is for (e.g. 张三)", Required = true };
        var role = new Option<string>("--role") { Description = "the role, e.g. poverty-office, town-office, unit", Required = true };
        var scope = new Option<string?>("--scope") { Description = "town:CODE or unit:CODE, for roles that need one" };
        var tokenCounty = CountyOption();
        var hours = new Option<double>("--hours")
        {
            Description = $"how long it is valid, above 0 and at most {TokenIssuer.MaxLifetime.TotalHours:0} (default 12)",
            DefaultValueFactory = _ => 12,
        };
        hours.Validators.Add(result =>
        {
            // A value that is not a number is the parser's error; one out of range is ours.
            if (result.Tokens is [{ Value: var text }]
                && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                && (value <= 0 || value > TokenIssuer.MaxLifetime.TotalHours))
                result.AddError($"--hours must be a number above 0 and at most {TokenIssuer.MaxLifetime.TotalHours:0}");
        });
        var token = new Command("token", "Issues a signed token (on stdout; its id on stderr). Needs Ledger:Jwt:SigningKey.")
        {
            user, role, scope, tokenCounty, hours,
        };
        token.SetAction(parse => IssueToken(parse.GetRequiredValue(user), parse.GetRequiredValue(role), parse.GetValue(scope),
            parse.GetValue(tokenCounty), parse.GetValue(hours)));

        var tokenId = new Argument<string>("TOKEN-ID") { Description = "the token's id (printed when it was issued)" };
        var reason = new Option<string?>("--reason") { Description = "why it is revoked" };
        var revokeCounty = CountyOption();
        var revoke = new Command("revoke", "Puts a token on its county's revocation list; exit code 1 when refused.") { tokenId, reason, revokeCounty };
        revoke.SetAction((parse, _) => RevokeTokenAsync(parse.GetRequiredValue(tokenId), parse.GetValue(reason), parse.GetValue(revokeCounty)));
        token.Subcommands.Add(revoke);
        root.Subcommands.Add(token);

        var files = new Argument<string[]>("FILE") { Description = "registry CSV files (towns, villages, units, pairings; any order)", Arity = ArgumentArity.OneOrMore };
        var importCounty = CountyOption();
        var import = new Command("import", "Imports registry CSV files, towns first, then villages, units and pairings; " +
                                           "a file with a bad row is refused whole.") { files, importCounty };
        import.SetAction((parse, _) => ImportRegistryAsync(parse.GetRequiredValue(files), parse.GetValue(importCounty)));
        root.Subcommands.Add(new Command("registry", "The registry of towns, villages, units and pairings.") { import });

        var bootstrapCounty = CountyOption();
        var bootstrap = new Command("bootstrap", "Creates the county's first administrator and prints its one-time password, " +
                                                 "when the county has no account yet (run.sh runs it on every start).") { bootstrapCounty };
        bootstrap.SetAction((parse, _) => BootstrapAccountsAsync(parse.GetValue(bootstrapCounty)));
        root.Subcommands.Add(new Command("accounts", "The accounts people sign in with.") { bootstrap });

        var ledger = new Command("ledger", "The database commands, also available without the word 'ledger'.");
        foreach (var command in DatabaseCommands())
        {
            ledger.Subcommands.Add(command);
        }
        root.Subcommands.Add(ledger);
        foreach (var command in DatabaseCommands()) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>verify, audit, roles, migrate, reencrypt (made once for <c>ledger …</c> and once for the top level).</summary>
    private static IEnumerable<Command> DatabaseCommands()
    {
        var from = new Option<long>("--from") { Description = "the first sequence to check (default 0)" };
        var to = new Option<long>("--to") { Description = "the last sequence to check (default: the end)", DefaultValueFactory = _ => long.MaxValue };
        foreach (var option in (Option<long>[])[from, to])
            option.Validators.Add(result =>
            {
                if (result.Tokens is [{ Value: var text }] && long.TryParse(text, out var value) && value < 0)
                    result.AddError($"{result.Option.Name} must be a sequence number");
            });
        var views = new Option<bool>("--views") { Description = "check the stored documents against their events instead of the chain" };
        var verifyCounty = CountyOption("with --views: only this county (default: every county)");
        var verify = new Command("verify", "Recomputes every county's hash chain (exit code 1 when any was altered), or with --views " +
                                           "rebuilds the documents from their events (exit code 1 when any differs).") { from, to, views, verifyCounty };
        verify.SetAction((parse, _) => parse.GetValue(views)
            ? VerifyViewsAsync(parse.GetValue(verifyCounty))
            : VerifyLedgerAsync(parse.GetValue(from), parse.GetValue(to)));
        yield return verify;

        var bundle = new Argument<string>("BUNDLE.zip") { Description = "the audit bundle downloaded from the ledger" };
        var key = new Option<string>("--key") { Description = "your own copy of the ledger's public key (PEM)", Required = true };
        var saved = new Option<string?>("--saved") { Description = "a head you saved earlier (JSON): the bundle must extend it" };
        var audit = new Command("audit", "Checks an audit bundle offline, without the database: exit code 0 intact, 1 problems, 2 unreadable files.")
        {
            bundle, key, saved,
        };
        audit.SetAction(parse => AuditOffline(parse.GetRequiredValue(bundle), parse.GetRequiredValue(key), parse.GetValue(saved)));
        yield return audit;

        var owner = new Option<string>("--owner") { Description = "the schema's owner role", DefaultValueFactory = _ => DatabaseRoles.DefaultOwner };
        var app = new Option<string>("--app") { Description = "the API's role", DefaultValueFactory = _ => DatabaseRoles.DefaultApp };
        var roles = new Command("roles", "As a superuser (ConnectionStrings:LedgerAdmin): makes the owner and app roles and hands the schema to the owner.")
        {
            owner, app,
        };
        roles.SetAction((parse, _) => PrepareRolesAsync(parse.GetRequiredValue(owner), parse.GetRequiredValue(app)));
        yield return roles;

        var migrate = new Command("migrate", "As the owner (ConnectionStrings:LedgerOwner): makes or patches the schema and grants the API's role.");
        migrate.SetAction((_, _) => MigrateAsync());
        yield return migrate;

        var reencryptCounty = CountyOption("only this county (default: every county)");
        var reencrypt = new Command("reencrypt", "Brings every encrypted field under the current key; exit code 1 when a value could not be decrypted.")
        {
            reencryptCounty,
        };
        reencrypt.SetAction((parse, _) => ReencryptAsync(parse.GetValue(reencryptCounty)));
        yield return reencrypt;
    }

    private static int IssueToken(string user, string role, string? scope, string? county, double hours)
    {
        var settings = JwtSettings.From(BuildConfiguration());
        var token = new TokenIssuer(settings, TimeProvider.System).Issue(user, role, scope, county ?? Counties.Xinfeng, TimeSpan.FromHours(hours));
        Console.WriteLine(token);
        Console.Error.WriteLine($"token id: {TokenIssuer.IdOf(token)} (to revoke it: token revoke {TokenIssuer.IdOf(token)} --reason ...)");
        return 0;
    }

    /// <summary>Puts a token on its county's revocation list; exit code 1 when refused (already revoked, no reason).</summary>
    private static async Task<int> RevokeTokenAsync(string tokenId, string? reason, string? givenCounty)
    {
        var county = givenCounty ?? Counties.Xinfeng;
        if (!Counties.IsValidCode(county)) throw new ArgumentException($"county '{county}' must be a 6-digit statistics code");
        await using var app = await OpenLedgerAsync();
        var refusal = await RevokeTokenEndpoint.RevokeAsync(app.Services.GetRequiredService<IDocumentStore>(), county,
            new Domain.Access.RevokeToken(tokenId, reason), $"cli:{Environment.UserName}",
            ChinaTime.Today(DateTimeOffset.UtcNow), CancellationToken.None);
        if (refusal is not null)
        {
            Console.Error.WriteLine(refusal.Message);
            return 1;
        }
        Console.WriteLine($"{county}: token {tokenId} revoked");
        return 0;
    }

    private static async Task<int> BootstrapAccountsAsync(string? givenCounty)
    {
        var county = givenCounty ?? Counties.Xinfeng;
        if (!Counties.IsValidCode(county)) throw new ArgumentException($"county '{county}' must be a 6-digit statistics code");
        await using var app = await OpenLedgerAsync();
        var password = await Accounts.FirstAdministrator.CreateIfNoneAsync(app.Services.GetRequiredService<IDocumentStore>(), county,
            DateTimeOffset.UtcNow, CancellationToken.None);
        Console.WriteLine(Accounts.FirstAdministrator.Message(county, password));
        return 0;
    }

    private static async Task<int> ImportRegistryAsync(string[] paths, string? givenCounty)
    {
        var county = givenCounty ?? Counties.Xinfeng;
        if (!Counties.IsValidCode(county)) throw new ArgumentException($"county '{county}' must be a 6-digit statistics code");
        // Read first, then ordered by what each file holds (towns before the villages, units and pairings that name
        // them), whatever order they were given in; a file of no known kind goes last and is refused with its header.
        var files = new List<(string Path, string Text, Domain.Registry.RegistryFileKind? Kind)>();
        foreach (var path in paths)
        {
            if (!File.Exists(path)) throw new ArgumentException($"{path}: no such file");
            var text = await File.ReadAllTextAsync(path);
            files.Add((path, text, Domain.Registry.RegistryImport.KindOf(text)));
        }

        await using var app = await OpenLedgerAsync();
        var store = app.Services.GetRequiredService<IDocumentStore>();

        foreach (var (file, text, _) in files.OrderBy(f => f.Kind is { } kind ? (int)kind : int.MaxValue))
        {
            await using var session = store.LightweightSession(county);
            session.LastModifiedBy = $"cli:{Environment.UserName}";
            session.SetHeader(ActorMiddleware.RoleHeader, "system");
            var plan = await ImportRegistry.PlanAsync(text, session, DateTimeOffset.UtcNow, CancellationToken.None);
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
    private static async Task<int> PrepareRolesAsync(string owner, string app)
    {
        var admin = BuildConfiguration().GetConnectionString("LedgerAdmin")
            ?? throw new ArgumentException("ledger roles needs a superuser's connection to the ledger's database in ConnectionStrings__LedgerAdmin");
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
    private static async Task<int> VerifyLedgerAsync(long from, long to)
    {
        await using var app = await OpenLedgerAsync();
        var chain = app.Services.GetRequiredService<HashChain>();
        var broken = 0;
        foreach (var database in await app.Services.GetRequiredService<IDocumentStore>().DatabasesAsync())
        foreach (var county in await chain.CountiesAsync(database, CancellationToken.None))
        {
            var result = await chain.VerifyAsync(database, county, from, to, CancellationToken.None);
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
    private static async Task<int> VerifyViewsAsync(string? only)
    {
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
    /// Checks a county's audit bundle, or a case file (案卷), offline (<see cref="OfflineAudit"/>) with the reviewer's own copy of the public key and,
    /// optionally, a head the reviewer saved earlier; builds no host and opens no database. Prints what was checked and
    /// every problem, located.
    /// </summary>
    private static int AuditOffline(string bundlePath, string keyPath, string? savedPath)
    {
        AuditReport report;
        try
        {
            var key = File.ReadAllText(keyPath);
            var saved = savedPath is not null ? File.ReadAllText(savedPath) : null;
            using var bundle = File.OpenRead(bundlePath);
            report = OfflineAudit.Run(bundle, key, saved);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read: {e.Message}", e);
        }

        if (report.CaseId is { } caseId && report.Head is { } caseHead)
        {
            Console.WriteLine($"case file: county {report.County}, case {caseId}");
            Console.WriteLine($"head:   size {caseHead.TreeSize}, root {caseHead.MerkleRoot}, time {caseHead.Time}, last sequence {caseHead.LastSequence}");
            Console.WriteLine($"events: {report.EventsChecked} checked, {report.ProofsChecked} inclusion proofs against the head");
            Console.WriteLine($"files:  {report.FilesChecked} cited files checked against their SHA-256 and size");
        }
        else if (report.Head is { } head)
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
            Console.WriteLine(report.CaseId is null
                ? "INTACT: every event, leaf, head and proof checks out with your key"
                : "INTACT: every event, proof, file and the head check out with your key");
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
    private static async Task<int> ReencryptAsync(string? only)
    {
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
}
