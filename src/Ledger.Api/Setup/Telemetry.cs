using System.Diagnostics.Metrics;
using System.Net;
using Ledger.Api.Audit;
using Ledger.Api.Storage;
using Marten;
using Marten.Services;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Ledger.Api.Setup;

/// <summary>
/// OpenTelemetry (docs/deploy.md, "What to monitor"): traces through ASP.NET Core, Wolverine, Marten and Npgsql, and
/// metrics — requests and their latencies (ASP.NET Core's <c>http.server.request.duration</c>), events appended, each
/// async projection's lag, the hash chain's lag and reminders that fell due — with a Prometheus scrape endpoint when
/// <c>Ledger:Metrics:Prometheus</c> is true (off by default). The endpoint is anonymous (a scraper cannot hold a token
/// of at most 24 hours) and therefore answers only callers in <c>Ledger:Metrics:AllowedNetworks</c> (loopback by
/// default; the client address is the proxy's forwarded one only for configured proxies) and, with
/// <c>Ledger:Metrics:Port</c>, only on that port (which the reverse proxy does not forward).
/// </summary>
public static class Telemetry
{
    public const string MeterName = "Ledger";
    public const string Section = "Ledger:Metrics";
    public const string ScrapePath = "/metrics";
    /// <summary>The counters, shared by every host of the process (the Marten listener is made without services).</summary>
    private static readonly Meter Meter = new(MeterName);

    /// <summary>Events committed, by county (every write path, the CLI's and the sweeps' included).</summary>
    private static readonly Counter<long> EventsAppended =
        Meter.CreateCounter<long>("ledger.events.appended", "{event}", "Events appended to the ledger");

    /// <summary>Reminders and escalations (催办、督办) appended by a sweep because they fell due.</summary>
    public static readonly Counter<long> RemindersDue =
        Meter.CreateCounter<long>("ledger.reminders.due", "{reminder}", "Reminders and escalations that fell due and were appended");

    public static bool PrometheusEnabled(IConfiguration configuration) => configuration.GetValue<bool>($"{Section}:Prometheus");

    public static void AddLedgerTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LedgerGauges>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource("Wolverine", "Marten")
                .AddNpgsql())
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddMeter(MeterName, "Wolverine", "Marten", "Npgsql");
                if (PrometheusEnabled(builder.Configuration)) metrics.AddPrometheusExporter();
            });
        _ = telemetry;
    }

    /// <summary>The scrape endpoint, when enabled: loopback (or the configured networks) only, and only on its port when one is set.</summary>
    public static void MapLedgerMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<LedgerGauges>().Start();
        if (!PrometheusEnabled(app.Configuration)) return;
        var allowed = (app.Configuration[$"{Section}:AllowedNetworks"] ?? "127.0.0.0/8,::1/128")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(IPNetwork.Parse).ToArray();
        var port = app.Configuration.GetValue<int?>($"{Section}:Port");
        app.UseWhen(context => context.Request.Path.StartsWithSegments(ScrapePath), branch => branch.Use(async (context, next) =>
        {
            var address = context.Connection.RemoteIpAddress;
            if (address is { IsIPv4MappedToIPv6: true }) address = address.MapToIPv4();
            var fromAllowed = address is not null && allowed.Any(n => n.Contains(address));
            var onPort = port is null || context.Request.Host.Port == port || context.Connection.LocalPort == port;
            if (!fromAllowed || !onPort)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(context);
        }));
        app.UseOpenTelemetryPrometheusScrapingEndpoint(ScrapePath);
    }

    /// <summary>Counts the events of every committed session (a store-wide Marten listener).</summary>
    public sealed class AppendedEvents : DocumentSessionListenerBase
    {
        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
        {
            var count = commit.GetEvents().Count();
            if (count > 0) EventsAppended.Add(count, new KeyValuePair<string, object?>("county", session.TenantId));
            return Task.CompletedTask;
        }
    }
}

/// <summary>
/// The gauges read from the database when they are collected (a scrape): each async projection's lag behind the
/// high-water mark, and the hash chain's lag (events not yet chained), per database.
/// </summary>
public sealed class LedgerGauges(IDocumentStore store, IMeterFactory meters, ILogger<LedgerGauges> logger)
{
    private IReadOnlyList<Marten.Storage.IMartenDatabase>? _databases;
    private int _started;

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return;
        var meter = meters.Create(Telemetry.MeterName);   // this host's: disposed with it
        meter.CreateObservableGauge("ledger.projection.lag", ProjectionLag, "{event}",
            "Events the async projection has still to process (high-water mark minus its progress)");
        meter.CreateObservableGauge("ledger.chain.lag", ChainLag, "{event}",
            "Events up to the high-water mark not yet in the hash chain");
    }

    private IReadOnlyList<Marten.Storage.IMartenDatabase> Databases() =>
        _databases ??= store.DatabasesAsync().GetAwaiter().GetResult();

    private IEnumerable<Measurement<long>> ProjectionLag() => Read($"""
        select p.name, greatest(h.last_seq_id - p.last_seq_id, 0)
        from {MartenSetup.Schema}.mt_event_progression p
        join {MartenSetup.Schema}.mt_event_progression h on h.name = 'HighWaterMark'
        where p.name <> 'HighWaterMark'
        """, "projection");

    private IEnumerable<Measurement<long>> ChainLag() => Read($"""
        select null, greatest(coalesce((select last_seq_id from {MartenSetup.Schema}.mt_event_progression where name = 'HighWaterMark'), 0)
                            - coalesce((select max(seq_id) from {HashChain.Table}), 0), 0)
        """, null);

    private List<Measurement<long>> Read(string sql, string? nameTag)
    {
        var measurements = new List<Measurement<long>>();
        try
        {
            foreach (var database in Databases())
            {
                using var connection = (NpgsqlConnection)database.CreateConnection();
                connection.Open();
                using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 5 };
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var tags = new List<KeyValuePair<string, object?>> { new("database", database.NameOf()) };
                    if (nameTag is not null) tags.Add(new(nameTag, reader.GetString(0)));
                    measurements.Add(new Measurement<long>(reader.GetInt64(1), tags));
                }
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            logger.LogWarning("Could not read a ledger gauge: {Reason}", e.Message);
        }
        return measurements;
    }
}
