using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using static Ledger.Domain.Tests.Spec;

namespace Ledger.Domain.Tests.Access;

/// <summary>The read rules take what a view holds: the towns and units an inspection covers and its team.</summary>
public class ReadAccessTests
{
    private sealed record Covers(IReadOnlyList<string> TownCodes, IReadOnlyList<string> UnitCodes, TeamMember? Leader,
        IReadOnlyList<TeamMember> Members, InspectionStatus Status = InspectionStatus.Closed, bool Unannounced = false,
        IReadOnlyList<(string? Town, string? Unit)>? Notified = null) : IInspectionScope
    {
        public IEnumerable<(string? Town, string? Unit)> NotifiedRecipients => Notified ?? [(Town, null), (null, "U01"), (null, Town), ("440233101", null)];
    }

    private const string Town = "440233100";
    private static readonly Covers Covering = new([Town], ["U01"], new TeamMember("lead", "组长", "U02", null), [new TeamMember("member", "组员", "U03", null)]);

    [Fact]
    public void An_inspection_is_read_by_the_offices_its_team_and_what_it_covers()
    {
        Assert.True(AccessRules.CanRead(Reviewer, Covering));
        Assert.True(AccessRules.CanRead(Inspector("member"), Covering));
        Assert.True(AccessRules.CanRead(Inspector("lead"), Covering));
        Assert.False(AccessRules.CanRead(Inspector("stranger"), Covering));
        Assert.True(AccessRules.CanRead(UnitRespondent("U01"), Covering));
        Assert.False(AccessRules.CanRead(Respondent("440233101"), Covering));
    }

    [Fact]
    public void A_case_is_read_by_its_inspections_team_and_its_own_town_or_unit()
    {
        Assert.True(AccessRules.CanReadCase(InspectionOffice, Town, null, null));
        Assert.True(AccessRules.CanReadCase(Inspector("member"), Town, null, Covering));
        Assert.False(AccessRules.CanReadCase(Inspector("member"), Town, null, null));
        Assert.True(AccessRules.CanReadCase(Respondent(Town), Town, null, Covering));
        Assert.False(AccessRules.CanReadCase(UnitRespondent("U01"), Town, null, Covering));
    }

    [Fact]
    public void A_draft_is_for_the_offices_and_the_team_and_a_requirement_for_whoever_answers_for_it()
    {
        Assert.True(AccessRules.CanReadDraft(PovertyOffice, Covering));
        Assert.True(AccessRules.CanReadDraft(Inspector("lead"), Covering));
        Assert.False(AccessRules.CanReadDraft(Respondent(Town), Covering));
        Assert.True(AccessRules.CanReadRequirement(Reviewer, Town, null));
        Assert.True(AccessRules.CanReadRequirement(Respondent(Town), Town, null));
        Assert.False(AccessRules.CanReadRequirement(UnitRespondent("U01"), Town, null));
    }

    [Fact]
    public void A_unit_whose_code_equals_a_town_code_gets_none_of_the_towns_rights()
    {
        var lookalike = UnitRespondent(Town);
        Assert.False(AccessRules.CanReadCase(lookalike, Town, null, Covering));
        Assert.False(AccessRules.CanRead(lookalike, Covering));
        Assert.False(AccessRules.CanReadTown(lookalike, Town));
        Assert.False(AccessRules.CanReadRequirement(lookalike, Town, null));
        Assert.False(AccessRules.CanReadTownRecord(lookalike, Town));
        Assert.True(AccessRules.CanReadUnit(lookalike, Town));
        Assert.True(AccessRules.CanReadCase(lookalike, "440233101", Town, Covering));
    }

    [Fact]
    public void The_inspected_see_an_inspection_only_once_field_work_started_and_an_unannounced_one_only_once_notified()
    {
        var planned = Covering with { Status = InspectionStatus.TeamFormed, Notified = [] };
        Assert.False(AccessRules.CanRead(Respondent(Town), planned));
        Assert.True(AccessRules.CanRead(InspectionOffice, planned));
        Assert.True(AccessRules.CanRead(Respondent(Town), planned with { Status = InspectionStatus.InField }));
        var unannounced = planned with { Status = InspectionStatus.ReportSubmitted, Unannounced = true };
        Assert.False(AccessRules.CanRead(Respondent(Town), unannounced));
        Assert.True(AccessRules.CanRead(Inspector("member"), unannounced));
        var notifiedToOther = unannounced with { Status = InspectionStatus.Closed, Notified = [("440233101", null)] };
        Assert.False(AccessRules.CanRead(Respondent(Town), notifiedToOther));
        Assert.True(AccessRules.CanRead(Respondent(Town), notifiedToOther with { Notified = [(Town, null)] }));
    }

    [Fact]
    public void The_inspected_see_a_finding_only_once_results_are_notified_to_them()
    {
        var inField = Covering with { Status = InspectionStatus.ReportSubmitted, Notified = [] };
        Assert.False(AccessRules.CanReadCase(Respondent(Town), Town, null, inField));
        Assert.False(AccessRules.CanReadCase(Respondent(Town), Town, null, inField with { Notified = [("440233101", null)] }));
        Assert.True(AccessRules.CanReadCase(Respondent(Town), Town, null, inField with { Notified = [(Town, null)] }));
        Assert.False(AccessRules.CanReadCase(Respondent(Town), Town, null, null));
        Assert.True(AccessRules.CanReadCase(Inspector("member"), Town, null, inField));
    }

    [Theory]
    [InlineData("town:440233100", ScopeKind.Town, "440233100")]
    [InlineData("unit:wt-100", ScopeKind.Unit, "wt-100")]
    public void A_typed_scope_parses(string text, ScopeKind kind, string code)
    {
        Assert.True(Ledger.Domain.Access.Scope.TryParse(text, out var scope));
        Assert.Equal(new Ledger.Domain.Access.Scope(kind, code), scope);
        Assert.Equal(text, scope.ToString());
    }

    [Theory]
    [InlineData("440233100")]
    [InlineData("wt-100")]
    [InlineData("town:")]
    [InlineData("village:440233100201")]
    [InlineData("unit:a b")]
    [InlineData("")]
    public void An_untyped_or_malformed_scope_is_no_scope(string text) =>
        Assert.False(Ledger.Domain.Access.Scope.TryParse(text, out _));

    [Fact]
    public void A_respondent_reads_only_its_own_problems_and_notifications_of_a_shared_inspection()
    {
        var mine = Guid.NewGuid();
        var theirs = Guid.NewGuid();
        var report = new InspectionReportSubmitted(Guid.NewGuid(), 2017, "情况", [new ReportProblem(mine, "本镇问题"), new ReportProblem(theirs, "他镇问题")],
            "意见", "", "lead", new DateOnly(2017, 7, 1));
        var scopes = new Dictionary<Guid, (string?, string?)> { [mine] = (Town, null), [theirs] = ("440233101", null) };
        Assert.Equal([mine], AccessRules.ReportFor(Respondent(Town), Covering, report, scopes).Problems.Select(p => p.CaseId));
        Assert.Equal(2, AccessRules.ReportFor(Inspector("member"), Covering, report, scopes).Problems.Count);
        Assert.Empty(AccessRules.ReportFor(UnitRespondent("U01"), Covering, report, scopes).Problems);
        var toOther = new InspectionResultsNotified(report.InspectionId, 2017, "440233101", null, "通报", [], [theirs], new DateOnly(2017, 7, 5));
        Assert.False(AccessRules.CanReadNotification(Respondent(Town), Covering, toOther));
        Assert.True(AccessRules.CanReadNotification(Respondent("440233101"), Covering, toOther));
        Assert.True(AccessRules.CanReadNotification(Reviewer, Covering, toOther));
    }
}
