using Ledger.Domain.Assessment;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Domain.Tips;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Common;

/// <summary>The Chinese name of every event, as a case history or an export shows it.</summary>
public static class EventLabels
{
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
        [typeof(DecisionOpened)] = "启动识别/退出程序",
        [typeof(DecisionStepRecorded)] = "记录程序步骤",
        [typeof(IdentificationReviewed)] = "识别退出复核",
        [typeof(PublicApprovalSurveyed)] = "群众认可度调查",
    };

    public static IReadOnlyCollection<Type> Known => Labels.Keys;

    public static string Of(Type eventType) => Labels.GetValueOrDefault(eventType, eventType.Name);
}
