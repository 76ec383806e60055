using Ledger.Api.Security;
using Ledger.Api.Accounts;
using Ledger.Api.Writes;
using JasperFx;
using JasperFx.CodeGeneration;
using Ledger.Api.Audit;
using Ledger.Api.Auth;
using Ledger.Api.Health;
using Ledger.Api.Http;
using Ledger.Api.Tips;
using Ledger.Api.EvidenceFiles;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;
using Scalar.AspNetCore;
using Wolverine;
using Wolverine.Http;
using Wolverine.Http.Marten;

namespace Ledger.Api.Setup;

/// <summary>Present when reverse proxies are configured (<c>Ledger:Proxies</c>): their forwarded headers are read.</summary>
public sealed class BehindProxies;

/// <summary>How the web host is put together: services first, then the request pipeline.</summary>
public static class LedgerHost
{
    public static string ConnectionString(IConfiguration configuration) => Tuned(
        configuration.GetConnectionString("Ledger")
        ?? Environment.GetEnvironmentVariable("LEDGER_DB")
        ?? throw new InvalidOperationException(
            "No database: set ConnectionStrings__Ledger or LEDGER_DB to a PostgreSQL connection string (./run.sh does this)."));

    /// <summary>
    /// The ledger's pooling defaults, unless the connection string sets them: keep a pooled
    /// connection's session when it is returned (no <c>DISCARD ALL</c>, which also threw away every
    /// prepared statement), and let Npgsql prepare the statements it sees often. Together they made
    /// writes ~1.5× faster (docs/performance.md, rework 2). Nothing of ours keeps session state
    /// beyond a transaction: the chain's lock is transaction-scoped.
    /// </summary>
    public static string Tuned(string connectionString)
    {
        // What the string itself sets (Npgsql's own builder answers for every keyword it knows).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Sets(string keyword) => given.ContainsKey(keyword) || given.ContainsKey(keyword.Replace(" ", ""));
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!Sets("No Reset On Close")) builder.NoResetOnClose = true;
        if (!Sets("Max Auto Prepare")) builder.MaxAutoPrepare = 100;
        return builder.ConnectionString;
    }

    public static void AddLedger(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddLedgerLogging();
        builder.AddLedgerTelemetry();
        var jwt = JwtSettings.From(builder.Configuration);
        services.AddSingleton(jwt);
        // A test process may stop the clock on a day (Testing environment only, FixedDayClock); tests in process put their own clock in.
        if (FixedDayClock.From(builder.Configuration, builder.Environment) is { } stopped) services.AddSingleton(stopped);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<FieldProtector>();
        services.AddSingleton<Reencryption>();
        services.AddSingleton<CountyRules>();
        var macKey = MacKey.From(builder.Configuration);
        services.AddSingleton(macKey);
        services.AddSingleton(AuditSettings.From(builder.Configuration));
        services.AddSingleton<TreeHeads>();
        services.AddSingleton<HashChain>();
        services.AddSingleton<RefusedWrites>();
        services.AddSingleton<Idempotency>();
        services.AddHostedService<HashChainWriter>();
        services.AddHostedService<IdempotencyPurge>();
        services.AddSingleton<ServedCounties>();
        services.AddSingleton(EvidenceSettings.From(builder.Configuration));
        services.AddSingleton<EvidenceCatalog>();
        services.AddSingleton<IEvidenceStore>(provider =>
            builder.Configuration[FileSystemEvidenceStore.ConfigurationKey] is { Length: > 0 } directory
                ? new FileSystemEvidenceStore(directory)
                : new PostgresEvidenceStore(provider.GetRequiredService<Marten.IDocumentStore>()));
        // 催办、督办: swept at start-up and at an interval; notices offered to the webhook (docs/rectification.md).
        services.AddSingleton(Ledger.Api.Reminders.WebhookSettings.From(builder.Configuration));
        services.AddHttpClient("webhook", client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddHostedService<Ledger.Api.Reminders.ReminderSweeper>();
        // Checkpoints of the accountability state, taken after each China-time midnight (docs/views.md).
        services.AddSingleton<Ledger.Api.Accountability.AccountabilityCheckpoints>();
        services.AddHostedService<Ledger.Api.Accountability.CheckpointSweeper>();
        services.AddLedgerRateLimits(builder.Configuration);
        if (services.AddLedgerForwardedHeaders(builder.Configuration)) services.AddSingleton<BehindProxies>();

        services.AddLedgerMarten(ConnectionString(builder.Configuration), CountyDatabases.From(builder.Configuration),
            builder.Configuration["Ledger:Daemon"] is "hot-cold" ? JasperFx.Events.Daemon.DaemonMode.HotCold : JasperFx.Events.Daemon.DaemonMode.Solo,
            macKey);

        builder.Host.UseWolverine(options =>
        {
            options.Policies.AutoApplyTransactions();
            options.EnableRelayOfUserName = true;
            options.UseRuntimeCompilation();
            options.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
            options.Durability.Mode = DurabilityMode.Solo;
            // Local messages (reminder sweeps' webhook deliveries) are kept in PostgreSQL until handled.
            options.Policies.UseDurableLocalQueues();
        });
        services.AddWolverineHttp();

        // A bearer token (programs) or the session cookie (the browser, Accounts/SessionCookie.cs), chosen per request.
        var authentication = services.AddAuthentication(Ledger.Api.Accounts.SessionCookie.EitherScheme);
        authentication.AddLedgerSessions();
        authentication
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Issuer,
                    ValidAudience = jwt.Audience,
                    IssuerSigningKeys = jwt.ValidationKeys(),   // the current key, and those of a change-over
                    ValidateIssuerSigningKey = true,
                    ValidateLifetime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = LedgerClaims.User,
                    RoleClaimType = LedgerClaims.Role,
                };
                // A typed scope, an id, a capped lifetime, and not revoked: checked on each request (docs/access.md, docs/security.md).
                options.Events = new JwtBearerEvents { OnTokenValidated = TokenChecks.OnTokenValidated };
            });
        services.AddAuthorization();

        services.AddProblemDetails();
        services.AddExceptionHandler<ExceptionAnswers>();
        services.ConfigureHttpJsonOptions(options => LedgerJson.Configure(options.SerializerOptions));
        services.AddOpenApi(options => ApiDocument.Configure(options, builder.Configuration));   // conventions: docs/api.md
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<ChainHeadsHealthCheck>("chain");
    }

    /// <summary>
    /// The request pipeline, in an order that matters: the client's address (from a configured
    /// proxy only) before anything counts it; who the caller is, and whether they may, before any
    /// body is read (an anonymous request is answered 401 without its body being buffered); rate
    /// and concurrency limits before the work; the body's size before the idempotency hash reads it.
    /// </summary>
    public static void UseLedger(this WebApplication app)
    {
        app.Use(RequestLogging.Scope);   // correlation id, county and user on every line of the request
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (app.Services.GetService<BehindProxies>() is not null) app.UseForwardedHeaders();
        app.UseRouting();
        // The pages (wwwroot): static, public; everything they show comes from the API below.
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.Use(Ledger.Api.Accounts.SessionCookie.RequireCsrfHeader);
        app.Use(RefusedWrites.LogRefusals);
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        app.Use(RequestLimits.EnforceBodySize);
        app.Use(Idempotency.Handle);

        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs").AllowAnonymous();
        app.MapLedgerHealth();
        app.MapLedgerMetrics();

        app.MapWolverineEndpoints(options =>
        {
            options.RequireAuthorizeOnAll();
            options.TenantId.IsClaimTypeNamed(LedgerClaims.County);
            options.TenantId.AssertExists();
            options.MapMartenConcurrencyFailuresToConflict();
            options.ApplyCorrelationIdHeaderToAllEndpoints = true;
            options.RejectUnparseableQueryValues = true;
            options.AddParameterHandlingStrategy<RequestValues>();   // Caller, today, Write as endpoint parameters
            options.AddPolicy<ProblemResponses>();                   // the refusals every route may answer, declared once
            static bool WritesThroughTheSession(HttpChain chain) =>
                chain.HttpMethods.Contains("POST") && chain.Method.HandlerType != typeof(SubmitTipEndpoint)
                && chain.Method.HandlerType != typeof(GetTipStatus) && chain.Method.HandlerType != typeof(UploadEvidenceEndpoint)
                && chain.Method.HandlerType != typeof(Ledger.Api.Accounts.SignInEndpoint);
            options.AddMiddleware(typeof(ActorMiddleware), WritesThroughTheSession);
            options.AddMiddleware(typeof(IdempotencyMarker), WritesThroughTheSession);
        });
    }
}
