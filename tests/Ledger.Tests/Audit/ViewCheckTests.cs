using System.Text.Json;
using JasperFx.Events.Projections;
using Ledger.Api.Identification;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Tests.Fixtures;
using Marten;
using Marten.Events.Daemon.Coordination;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Audit;

/// <summary>
/// The inline documents reads serve are rebuilt from their events and compared with what is stored:
/// an operator's edit of a view, a household, a team, a deleted or an invented document is named.
/// </summary>
public sealed class ViewCheckTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string OtherCounty = "440229";

    private async Task<JsonElement> VerifyViews(string county = Counties.Xinfeng) =>
        await Expect(await Given.Get("/api/ledger/verify-views", Fixture.Token(Roles.Reviewer, county: county)), 200);

    private static List<(string Type, Guid Id, string Kind, string[] Fields)> Differing(JsonElement result) =>
        result.GetProperty("differing").EnumerateArray().Select(d => (d.GetProperty("type").GetString()!, d.GetProperty("id").GetGuid(),
            d.GetProperty("kind").GetString()!, d.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!).ToArray())).ToList();

    /// <summary>A registry, an inspection in the field with a finding, a household and a tip: every kind of inline document.</summary>
    private async Task<(Guid Inspection, Guid Case, Guid Household)> History()
    {
        await Given.SampleRegistry();
        var inspection = await Given.InspectionInField();
        var finding = await Given.RecordedFinding(inspection);
        await Given.Household("H-1");
        await Expect(await Given.PostJson("/api/tips", new { description = "村干部挪用危房改造补助", village = "440233100203" }, token: null), 201);
        var household = RegisterHouseholdEndpoint.IdOf(Counties.Xinfeng, "H-1");
        return (inspection, finding, household);
    }

    [Fact]
    public async Task Documents_built_by_the_ledger_verify_clean()
    {
        await History();
        var result = await VerifyViews();
        Assert.Empty(Differing(result));
        Assert.Equal(0, result.GetProperty("differingCount").GetInt64());
        // 7 towns, 141 villages, units, the inspection, the case, the household and the tip.
        Assert.True(result.GetProperty("checked").GetInt64() > 150, result.ToString());
    }

    [Fact]
    public async Task Every_operator_edit_of_a_document_is_named_with_its_type_id_and_kind()
    {
        var (inspection, finding, household) = await History();
        var town = (await Given.GetJson("/api/towns")).EnumerateArray().First().GetProperty("id").GetGuid();
        var orphan = Guid.NewGuid();
        // A unit's pairings come from events on villages' streams (the one multi-stream view).
        var unit = (await Given.GetJson("/api/units")).EnumerateArray()
            .First(u => u.GetProperty("pairedVillages").GetArrayLength() > 0).GetProperty("id").GetGuid();
        await Fixture.ExecuteAsync($$"""
            update ledger.mt_doc_caseview set data = jsonb_set(data, '{Description}', '"无问题"') where id = '{{finding}}';
            update ledger.mt_doc_inspectionview set data = jsonb_set(data, '{Members}',
                data->'Members' || '[{"User":"operator","Name":"运维","UnitCode":null,"TownCode":null}]') where id = '{{inspection}}';
            update ledger.mt_doc_household set data = jsonb_set(jsonb_set(data, '{Size}', '1'), '{HeadNameMasked}', '"李*"') where id = '{{household}}';
            delete from ledger.mt_doc_townview where id = '{{town}}';
            update ledger.mt_doc_unitview set data = jsonb_set(data, '{PairedVillages}', '[]') where id = '{{unit}}';
            insert into ledger.mt_doc_caseview (id, data, mt_dotnet_type, mt_version, tenant_id)
                select '{{orphan}}', data, mt_dotnet_type, mt_version, tenant_id from ledger.mt_doc_caseview where id = '{{finding}}';
            """);

        var result = await VerifyViews();
        var differing = Differing(result);
        Assert.Equal(6, result.GetProperty("differingCount").GetInt64());
        Assert.Contains(("CaseView", finding, "changed", new[] { "Description" }), differing.Select(d => (d.Type, d.Id, d.Kind, d.Fields)).ToList(), new Same());
        Assert.Contains(("InspectionView", inspection, "changed", new[] { "Members" }), differing.Select(d => (d.Type, d.Id, d.Kind, d.Fields)).ToList(), new Same());
        Assert.Contains(("Household", household, "changed", new[] { "HeadNameMasked", "Size" }), differing.Select(d => (d.Type, d.Id, d.Kind, d.Fields)).ToList(), new Same());
        Assert.Contains(("TownView", town, "missing", Array.Empty<string>()), differing.Select(d => (d.Type, d.Id, d.Kind, d.Fields)).ToList(), new Same());
        Assert.Contains(("UnitView", unit, "changed", new[] { "PairedVillages" }), differing.Select(d => (d.Type, d.Id, d.Kind, d.Fields)).ToList(), new Same());
        Assert.Contains(("CaseView", orphan, "orphan", Array.Empty<string>()), differing.Select(d => (d.Type, d.Id, d.Kind, d.Fields)).ToList(), new Same());
    }

    [Fact]
    public async Task Another_countys_documents_are_not_reported_to_this_caller()
    {
        await History();
        await Given.SampleRegistry(OtherCounty);
        await Fixture.ExecuteAsync($"update ledger.mt_doc_villageview set data = jsonb_set(data, '{{Name}}', '\"篡改村\"') where tenant_id = '{OtherCounty}'");

        Assert.Empty(Differing(await VerifyViews()));
        var other = Differing(await VerifyViews(OtherCounty));
        Assert.NotEmpty(other);
        Assert.All(other, d => Assert.Equal(("VillageView", "changed"), (d.Type, d.Kind)));
        Assert.All(other, d => Assert.Equal(["Name"], d.Fields));
    }

    [Fact]
    public async Task A_rebuild_of_the_inline_projections_puts_the_documents_back()
    {
        var (inspection, finding, household) = await History();
        await Fixture.ExecuteAsync($$"""
            update ledger.mt_doc_caseview set data = jsonb_set(data, '{Description}', '"无问题"') where id = '{{finding}}';
            update ledger.mt_doc_household set data = jsonb_set(data, '{Size}', '1') where id = '{{household}}';
            delete from ledger.mt_doc_inspectionview where id = '{{inspection}}';
            insert into ledger.mt_doc_caseview (id, data, mt_dotnet_type, mt_version, tenant_id)
                select '{{Guid.NewGuid()}}', data, mt_dotnet_type, mt_version, tenant_id from ledger.mt_doc_caseview where id = '{{finding}}';
            """);
        Assert.Equal(4, (await VerifyViews()).GetProperty("differingCount").GetInt64());
        async Task<string?> Description() => (await Given.GetJson($"/api/cases/{finding}")).GetProperty("case").GetProperty("description").GetString();
        Assert.Equal("无问题", await Description());   // what reads serve until the remedy

        // The remedy, as `projections rebuild` does it: every inline projection rebuilt from the events.
        var daemon = Fixture.Host.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        foreach (var projection in ((DocumentStore)Fixture.Store).Options.Projections.All.Where(p => p.Lifecycle == ProjectionLifecycle.Inline))
            await daemon.RebuildProjectionAsync(projection.Name, CancellationToken.None);

        Assert.Empty(Differing(await VerifyViews()));
        Assert.Equal("贫困户识别公示期不足7天", await Description());
    }

    private sealed class Same : IEqualityComparer<(string, Guid, string, string[])>
    {
        public bool Equals((string, Guid, string, string[]) x, (string, Guid, string, string[]) y) =>
            (x.Item1, x.Item2, x.Item3) == (y.Item1, y.Item2, y.Item3) && x.Item4.SequenceEqual(y.Item4);

        public int GetHashCode((string, Guid, string, string[]) obj) => HashCode.Combine(obj.Item1, obj.Item2, obj.Item3);
    }
}
