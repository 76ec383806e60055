using JasperFx.Events;
using JasperFx.Events.Projections;
using Ledger.Domain.Assessment;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Tips;
using Ledger.Projections.Accountability;
using Ledger.Projections.Cases;
using Ledger.Projections.Inspections;
using Ledger.Projections.Registry;
using JasperFx.Events.Daemon;
using Ledger.Api.Audit;
using Ledger.Api.Storage;
using Marten;
using Wolverine.Marten;

namespace Ledger.Api.Setup;

/// <summary>The event store and every projection registration, in one place.</summary>
public static class MartenSetup
{
    public const string Schema = "ledger";

    public static void AddLedgerMarten(this IServiceCollection services, string connectionString,
        IReadOnlyList<CountyDatabase> countyDatabases, DaemonMode daemonMode, MacKey macKey)
    {
        services.AddMarten(options =>
            {
                if (countyDatabases.Count == 0)
                    options.Connection(connectionString);
                else
                    // A province: each county's ledger lives in the database that lists it; within a
                    // database the counties it holds are conjoined tenants as in a county deployment.
                    options.MultiTenantedDatabases(tenancy =>
                    {
                        foreach (var database in countyDatabases)
                            tenancy.AddMultipleTenantDatabase(database.ConnectionString, database.Name).ForTenants([.. database.Counties]);
                    });
                options.DatabaseSchemaName = Schema;
                // The ledger's own tables (chain, idempotency, refused writes), made in every database like Marten's.
                options.AddLedgerTables();

                // Each county is a tenant (its statistics code); events and documents carry tenant_id.
                options.Events.TenancyStyle = JasperFx.MultiTenancy.TenancyStyle.Conjoined;
                options.Policies.AllDocumentsAreMultiTenanted();

                // Quick appends: one database call per stream, no read of the stream first. The version a
                // write read (FetchForWriting, expectedVersion/If-Match) is still checked when it commits:
                // of two racing writers one gets 409 (Rich mode measured slower; docs/performance.md).
                options.Events.AppendMode = EventAppendMode.Quick;
                options.Events.MetadataConfig.CorrelationIdEnabled = true;
                options.Events.MetadataConfig.CausationIdEnabled = true;
                options.Events.MetadataConfig.HeadersEnabled = true;
                options.Events.MetadataConfig.UserNameEnabled = true;
                // Every appended event is sealed (HMAC under a key outside the database) in its own transaction.
                options.Listeners.Add(new EventSealingListener(macKey));
                // Counted for the metrics (ledger.events.appended).
                options.Listeners.Add(new Telemetry.AppendedEvents());

                // Registry views: inline, because an import reads them to decide the next import
                // and GETs right after a write must see it.
                options.Projections.Add<TownViewProjection>(ProjectionLifecycle.Inline);
                options.Projections.Add<VillageViewProjection>(ProjectionLifecycle.Inline);
                options.Projections.Add<UnitViewProjection>(ProjectionLifecycle.Inline);

                // The write models of inspections and cases: aggregated live from their (short) streams by
                // each write, so what a rule checks always comes from the hash-chained events, never from a
                // document; reads use the views below.
                options.Projections.LiveStreamAggregation<Inspection>();
                options.Projections.LiveStreamAggregation<Case>();
                // The same for the small write models of publications and surveys (what is published so far).
                options.Projections.LiveStreamAggregation<PublishedRulebooks>();
                options.Projections.LiveStreamAggregation<TownTargets>();
                options.Projections.LiveStreamAggregation<PublishedAssessment>();
                options.Projections.LiveStreamAggregation<ApprovalSurvey>();
                // Document registers (one per office and year): the next number follows from the stream.
                options.Projections.LiveStreamAggregation<Ledger.Domain.Documents.DocumentRegister>();
                // Issued documents: inline, because the answer to an issue links the download that follows.
                options.Projections.Add<Ledger.Projections.Documents.IssuedDocumentProjection>(ProjectionLifecycle.Inline);
                options.Schema.For<Ledger.Projections.Documents.IssuedDocumentView>().Index(d => d.Number);
                // Read models of inspections and cases, apart from the write models: inline, because a GET
                // right after a write must see it. Lists filter, sort and page them in the database.
                options.Projections.Snapshot<InspectionView>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<CaseView>(SnapshotLifecycle.Inline);
                // Case lists filter by inspection, year, town and village; the tip status looks a case up by its tip.
                options.Schema.For<CaseView>().Index(c => c.InspectionId).Index(c => c.Year).Index(c => c.TownCode!)
                    .Index(c => c.VillageCode!).Index(c => c.SourceTipId!);
                // The inbox: a notice per reminder or escalation, inline so the sweep that appends one makes it.
                options.Projections.Add<Ledger.Projections.Inbox.InboxProjection>(ProjectionLifecycle.Inline);
                options.Projections.Snapshot<Household>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<IdentificationDecision>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<Tip>(SnapshotLifecycle.Inline);
                // The revocation list: inline, because the very next request with a revoked token must be refused.
                options.Projections.Snapshot<Ledger.Domain.Access.RevokedToken>(SnapshotLifecycle.Inline);
                // Accounts: inline, because a disabled account's session must be refused on its very next request.
                options.Projections.Snapshot<Ledger.Domain.Access.Account>(SnapshotLifecycle.Inline);
                // Credentials and ended sessions: plain documents, never events (docs/web.md: no password hash in the chained log).
                options.Schema.For<Ledger.Api.Accounts.AccountCredential>();
                options.Schema.For<Ledger.Api.Accounts.EndedSession>();

                // Accountability roll-ups per town-year and unit-year, and a row per case they are
                // counted from: async, because no writer reads them back; the daemon keeps them current.
                options.Projections.Add<AccountabilityProjection>(ProjectionLifecycle.Async);
                options.Projections.Add<CaseRowProjection>(ProjectionLifecycle.Async);
                // The accountability read looks case rows up by town or unit and year, and a town's villages by town.
                options.Schema.For<CaseRow>().Index([r => r.TownCode!, r => r.Year]).Index([r => r.UnitCode!, r => r.Year]);
                options.Schema.For<VillageView>().Index(v => v.TownCode);
            })
            .UseLightweightSessions()
            // Solo: this process runs every projection of every database. HotCold: each database's
            // projections run on whichever node holds that database's lock, so nodes share the work.
            .AddAsyncDaemon(daemonMode)
            // Wolverine keeps its node and envelope tables in the main database.
            .IntegrateWithWolverine(wolverine => wolverine.MainDatabaseConnectionString = connectionString)
            .ApplyAllDatabaseChangesOnStartup();
    }
}
