using Ledger.Domain.Access;
using Ledger.Domain.Assessment;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Domain.Registry;
using Ledger.Domain.Tips;

namespace Ledger.Domain.Tests.Rules;

/// <summary>The rules that several features share, each answered in one place.</summary>
public class OneHomeRuleTests
{
    private static readonly DateOnly Day = new(2017, 8, 21);

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(8, true)]
    [InlineData(9, false)]
    [InlineData(-1, false)]
    public void Content_areas_are_the_eight_of_art_9(int number, bool valid) => Assert.Equal(valid, ContentAreas.IsValid(number));

    [Fact]
    public void No_area_is_no_valid_area() => Assert.False(ContentAreas.IsValid(null));

    [Fact]
    public void A_problem_is_an_open_finding_a_check_with_irregularities_or_a_review_not_found_correct()
    {
        Assert.True(Problems.IsProblem(true, CaseKind.Finding, 0, null));
        Assert.False(Problems.IsProblem(false, CaseKind.Finding, 0, null));
        Assert.False(Problems.IsProblem(true, CaseKind.FundingCheck, 0, null));
        Assert.True(Problems.IsProblem(true, CaseKind.FundingCheck, 2, null));
        Assert.False(Problems.IsProblem(true, CaseKind.IdentificationReview, 0, ReviewVerdict.Correct));
        Assert.True(Problems.IsProblem(true, CaseKind.IdentificationReview, 0, ReviewVerdict.WronglyExited));
        Assert.False(Problems.IsProblem(false, CaseKind.IdentificationReview, 0, ReviewVerdict.Missed));
    }

    [Fact]
    public void The_colour_on_a_day_follows_the_deadline_and_the_stage()
    {
        Assert.Equal(RectificationStatus.Overdue, Deadlines.StatusOn(RectificationStage.Returned, Day.AddDays(-1), Day));
        // A response awaiting verification is 待核实, never red: the office's time is not the town's.
        Assert.Equal(RectificationStatus.AwaitingVerification, Deadlines.StatusOn(RectificationStage.Responded, Day.AddDays(-1), Day));
        Assert.False(Deadlines.IsOverdue(RectificationStage.Responded, Day.AddDays(-1), Day));
        Assert.True(Deadlines.VerificationLate(RectificationStage.Responded, Day.AddDays(-6), 5, Day));
        Assert.False(Deadlines.VerificationLate(RectificationStage.Responded, Day.AddDays(-5), 5, Day));
        Assert.Equal(RectificationStatus.DueSoon, Deadlines.StatusOn(RectificationStage.AwaitingResponse, Day, Day));
        Assert.Equal(RectificationStatus.DueSoon, Deadlines.StatusOn(RectificationStage.Returned, Day.AddDays(3), Day));
        Assert.Equal(RectificationStatus.OnTrack, Deadlines.StatusOn(RectificationStage.AwaitingResponse, Day.AddDays(4), Day));
        Assert.Equal(RectificationStatus.Closed, Deadlines.StatusOn(RectificationStage.Closed, Day.AddDays(-30), Day));
        Assert.True(Deadlines.IsOverdue(RectificationStage.Returned, Day.AddDays(-1), Day));
        Assert.False(Deadlines.IsOverdue(RectificationStage.Closed, Day.AddDays(-1), Day));
        Assert.False(Deadlines.IsOverdue(null, null, Day));
        Assert.True(Deadlines.ClosedLate(Day, Day.AddDays(-1)));
        Assert.False(Deadlines.ClosedLate(Day, Day));
        Assert.True(Deadlines.ClosedOnTime(RectificationStage.Closed, Day, Day));
    }

    [Fact]
    public void The_deadline_windows_give_the_same_colours_as_the_rule()
    {
        foreach (var colour in new[] { RectificationStatus.Overdue, RectificationStatus.DueSoon, RectificationStatus.OnTrack })
        {
            var (from, to) = Deadlines.DeadlinesGiving(colour, Day);
            for (var offset = -10; offset <= 10; offset++)
            {
                var deadline = Day.AddDays(offset);
                var inWindow = (from is null || deadline >= from) && (to is null || deadline <= to);
                Assert.Equal(Deadlines.StatusOn(RectificationStage.AwaitingResponse, deadline, Day) == colour, inWindow);
            }
        }
    }

    [Fact]
    public void A_status_filter_is_a_case_status_a_colour_or_nothing()
    {
        Assert.True(CaseStatusFilter.TryParse(" ", true, out var none, out _));
        Assert.Equal(CaseStatusFilter.None, none);
        Assert.True(CaseStatusFilter.TryParse("withdrawn", true, out var withdrawn, out _));
        Assert.Equal(CaseStatus.Withdrawn, withdrawn.Case);
        Assert.True(CaseStatusFilter.TryParse("逾期（红）", true, out var overdue, out _));
        Assert.Equal(RectificationStatus.Overdue, overdue.Rectification);
        Assert.False(CaseStatusFilter.TryParse("withdrawn", false, out _, out var boardError));
        Assert.StartsWith("status 'withdrawn' is not one of: closed", boardError);
        Assert.False(CaseStatusFilter.TryParse("pink", true, out _, out var listError));
        Assert.StartsWith("status 'pink' is not one of: open", listError);
    }

    /// <summary>Every label the ledger showed before labels moved next to their events.</summary>
    private static readonly Dictionary<Type, string> Labels = new()
    {
        [typeof(TownRegistered)] = "镇（街）登记",
        [typeof(TownRenamed)] = "镇（街）更名",
        [typeof(VillageRegistered)] = "村登记",
        [typeof(VillageRenamed)] = "村更名",
        [typeof(VillageStatusChanged)] = "村贫困状态变更",
        [typeof(UnitRegistered)] = "单位登记",
        [typeof(UnitDetailsChanged)] = "单位信息变更",
        [typeof(VillagePaired)] = "结对帮扶",
        [typeof(InspectionPlanned)] = "制定督查方案",
        [typeof(InspectionTeamFormed)] = "组建督查组",
        [typeof(InspectionFieldworkStarted)] = "开始实地督查",
        [typeof(FindingRecorded)] = "记录督查发现",
        [typeof(FundingCheckRecorded)] = "记录资金检查",
        [typeof(FindingAmended)] = "更正督查发现",
        [typeof(FundingCheckAmended)] = "更正资金检查",
        [typeof(FindingWithdrawn)] = "撤回",
        [typeof(InspectionReportSubmitted)] = "提交督查报告",
        [typeof(InspectionResultsNotified)] = "通报督查结果",
        [typeof(RectificationRequired)] = "整改要求",
        [typeof(RectificationResponded)] = "反馈整改情况",
        [typeof(RectificationAccepted)] = "整改验收销号",
        [typeof(RectificationReturned)] = "整改退回",
        [typeof(RectificationExtensionRequested)] = "申请延期",
        [typeof(RectificationExtensionGranted)] = "批准延期",
        [typeof(RectificationExtensionDenied)] = "不予延期",
        [typeof(RulebookPublished)] = "发布考核细则",
        [typeof(AssessmentPublished)] = "发布考核结果",
        [typeof(TipReceived)] = "受理群众举报",
        [typeof(TipDismissed)] = "举报不予立案",
        [typeof(TipLinked)] = "举报转督查",
        [typeof(HouseholdRegistered)] = "建档立卡户登记",
        [typeof(HouseholdAssessed)] = "家庭收入及三保障核定",
        [typeof(IdNumberReencrypted)] = "身份证号重新加密",
        [typeof(IdNumberRevealed)] = "查看完整身份证号",
        [typeof(TipContactReencrypted)] = "举报人联系方式重新加密",
        [typeof(TokenRevoked)] = "令牌吊销",
        [typeof(DecisionOpened)] = "启动识别/退出程序",
        [typeof(DecisionStepRecorded)] = "记录程序步骤",
        [typeof(IdentificationReviewed)] = "识别退出复核",
        [typeof(PublicApprovalSurveyed)] = "群众认可度调查",
    };

    [Fact]
    public void Every_event_carries_its_label()
    {
        Assert.Equal(40, Labels.Count);
        Assert.All(Labels, pair => Assert.Equal(pair.Value, EventLabels.Of(pair.Key)));
        Assert.Equal(nameof(Evidence), EventLabels.Of(typeof(Evidence)));
    }
}
