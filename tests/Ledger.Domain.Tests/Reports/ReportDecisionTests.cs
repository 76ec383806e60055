using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Reports;
using static Ledger.Domain.Tests.Inspections.Fixture;
using static Ledger.Domain.Tests.Spec;

namespace Ledger.Domain.Tests.Reports;

/// <summary>The team leader's report: the problems it names are open problems of this inspection.</summary>
public sealed class ReportDecisionTests
{
    private static readonly Guid OtherCase = Guid.Parse("0190b000-0000-7000-8000-000000000007");

    private static IReadOnlyDictionary<Guid, Case> Cases(params Case[] cases) => cases.ToDictionary(c => c.Id);

    private static SubmitReport Report(params Guid[] cases) =>
        new(3, " 情况 ", cases.Select(c => new ReportProblem(c, " 公示未满7天 ")).ToList(), " 意见 ", null);

    [Fact]
    public void The_leader_submits_the_report_after_the_field_work() =>
        Then(Report(CaseId).Decide(Fielded(), Cases(Given<Case>(Finding())), Inspector(Leader.User), Today),
            new InspectionReportSubmitted(InspectionId, 2017, "情况", [new ReportProblem(CaseId, "公示未满7天")], "意见", "", Leader.User, Today));

    [Fact]
    public void Only_the_leader_submits_it() =>
        Refused(Report().Decide(Fielded(), Cases(), Inspector(Member.User), Today), RefusalKind.Forbidden, "the team leader (组长) submits the report");

    [Fact]
    public void The_problems_are_open_problems_of_this_inspection()
    {
        var elsewhere = Given<Case>(Finding(OtherCase, OtherInspectionId));
        Refused(Report(OtherCase).Decide(Fielded(), Cases(elsewhere), Inspector(Leader.User), Today),
            RefusalKind.Invalid, $"problems[0]: case {OtherCase} is not a record of this inspection");
        Refused(Report(OtherCase).Decide(Fielded(), Cases(), Inspector(Leader.User), Today),
            RefusalKind.Invalid, $"problems[0]: case {OtherCase} is not a record of this inspection");
        var withdrawn = Given<Case>(Finding(), new FindingWithdrawn(CaseId, InspectionId, 2017, Town, null, Village, "重复", Today));
        Refused(Report(CaseId).Decide(Fielded(), Cases(withdrawn), Inspector(Leader.User), Today),
            RefusalKind.Invalid, $"problems[0]: case {CaseId} is not an open problem");
        Refused(Report(CaseId, CaseId).Decide(Fielded(), Cases(Given<Case>(Finding())), Inspector(Leader.User), Today),
            RefusalKind.Invalid, "a case is named twice among the problems");
    }

    [Fact]
    public void A_report_follows_the_field_work_once() =>
        Refused(Report().Decide(Reported(), Cases(), Inspector(Leader.User), Today), RefusalKind.Conflict, "a report follows the field work");
}
