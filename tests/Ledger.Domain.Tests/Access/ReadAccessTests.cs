using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using static Ledger.Domain.Tests.Spec;

namespace Ledger.Domain.Tests.Access;

/// <summary>The read rules take what a view holds: the towns and units an inspection covers and its team.</summary>
public class ReadAccessTests
{
    private sealed record Scope(IReadOnlyList<string> TownCodes, IReadOnlyList<string> UnitCodes, TeamMember? Leader,
        IReadOnlyList<TeamMember> Members) : IInspectionScope;

    private const string Town = "440233100";
    private static readonly Scope Covering = new([Town], ["U01"], new TeamMember("lead", "组长", "U02", null), [new TeamMember("member", "组员", "U03", null)]);

    [Fact]
    public void An_inspection_is_read_by_the_offices_its_team_and_what_it_covers()
    {
        Assert.True(AccessRules.CanRead(Reviewer, Covering));
        Assert.True(AccessRules.CanRead(Inspector("member"), Covering));
        Assert.True(AccessRules.CanRead(Inspector("lead"), Covering));
        Assert.False(AccessRules.CanRead(Inspector("stranger"), Covering));
        Assert.True(AccessRules.CanRead(Respondent("U01"), Covering));
        Assert.False(AccessRules.CanRead(Respondent("440233101"), Covering));
    }

    [Fact]
    public void A_case_is_read_by_its_inspections_team_and_its_own_town_or_unit()
    {
        Assert.True(AccessRules.CanReadCase(InspectionOffice, Town, null, null));
        Assert.True(AccessRules.CanReadCase(Inspector("member"), Town, null, Covering));
        Assert.False(AccessRules.CanReadCase(Inspector("member"), Town, null, null));
        Assert.True(AccessRules.CanReadCase(Respondent(Town), Town, null, Covering));
        Assert.False(AccessRules.CanReadCase(Respondent("U01"), Town, null, Covering));
    }

    [Fact]
    public void A_draft_is_for_the_offices_and_the_team_and_a_requirement_for_whoever_answers_for_it()
    {
        Assert.True(AccessRules.CanReadDraft(PovertyOffice, Covering));
        Assert.True(AccessRules.CanReadDraft(Inspector("lead"), Covering));
        Assert.False(AccessRules.CanReadDraft(Respondent(Town), Covering));
        Assert.True(AccessRules.CanReadRequirement(Reviewer, Town));
        Assert.True(AccessRules.CanReadRequirement(Respondent(Town), Town));
        Assert.False(AccessRules.CanReadRequirement(Respondent("U01"), Town));
    }
}
