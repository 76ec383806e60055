using Ledger.Domain.Common;
using Ledger.Domain.FollowUp;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;

namespace Ledger.Projections.Cases;

/// <summary>What an identification review (识别退出复核) looked at and concluded.</summary>
public sealed record ReviewDetails(
    Guid? DecisionId, DecisionKind? DecisionKind, string? HouseholdCode, int People, int? UnregisteredPeopleInVillage, ReviewVerdict Verdict)
{
    public string VerdictLabel => Codes.LabelOf(Verdict);
}

/// <summary>The figures of a funding check as the case view shows them, with labels.</summary>
public sealed record FundingView(
    string Fund, FundSourceLevel SourceLevel, string Project, decimal Allocated, decimal Arrived, decimal Spent,
    DateOnly? ArrivedOn, IReadOnlyList<FundIrregularity> Irregularities, int? IdleMonths, string? OverspendReason, string? Notes)
{
    public IReadOnlyList<CodeLabel> IrregularityLabels => Irregularities.Select(Codes.Describe).ToList();
    public string SourceLevelLabel => Codes.LabelOf(SourceLevel);
}

/// <summary>
/// A rectification requirement as the board and the case view show it: the original deadline beside the
/// current one, every turn and extension, the stage's label, the returns and whether it closed late.
/// </summary>
public sealed record RectificationView(
    Guid InspectionId, string? ResponsibleTown, string? ResponsibleUnit, string Action,
    DateOnly NotifiedOn, DateOnly OriginalDeadline, DateOnly Deadline, RectificationStage Stage,
    IReadOnlyList<RectificationTurn> Turns, IReadOnlyList<ExtensionRecord> Extensions, DateOnly? ClosedOn, bool? Late = null,
    AcknowledgementRecord? Acknowledgement = null, IReadOnlyList<SentReminder>? Reminders = null)
{
    public string Responsible => ResponsibleTown ?? ResponsibleUnit ?? "";
    public string StageLabel => Codes.LabelOf(Stage);
    public int Returns => Turns.Count(t => t.Accepted == false);
    /// <summary>
    /// Closed late: as the acceptance judged it (the date of the response accepted against the deadline that
    /// counts, <see cref="AcceptRectification"/>); views built before that flag judge by the acceptance date.
    /// </summary>
    public bool ClosedLate => ClosedOn is not null && (Late ?? Deadlines.ClosedLate(ClosedOn, Deadline));
    public ExtensionRecord? PendingExtension => Extensions.LastOrDefault(e => e.Granted is null);
    public DateOnly? LastRespondedOn => Turns.Count > 0 ? Turns[^1].RespondedOn : null;

    /// <summary>The colour at a given day (the county's calendar): <see cref="Deadlines.StatusOn"/>.</summary>
    public RectificationStatus StatusOn(DateOnly today) => Deadlines.StatusOn(Stage, Deadline, today);
}

/// <summary>The case's latest lead handed to the discipline inspection office (线索移交), its receipt and outcome.</summary>
public sealed record LeadView(string Recipient, string Summary, DateOnly HandedOverOn, string HandedOverBy, string? ReceivedBy,
    DateOnly? ReceivedOn, string? Outcome, DateOnly? DecidedOn)
{
    /// <summary>待签收, 待处置 or 已处置.</summary>
    public string StageLabel => DecidedOn is not null ? "已处置" : ReceivedOn is not null ? "待处置" : "待签收";
}

/// <summary>回头看 of the case's closed requirement: when, what was found, and the new case if the problem was back.</summary>
public sealed record RecheckView(DateOnly RecheckedOn, bool ProblemBack, string Findings, Guid? RecurrenceCaseId, string RecheckedBy);

/// <summary>约谈 about the case: who was interviewed (name, post), by whom, when, about what.</summary>
public sealed record InterviewLine(Guid InterviewId, string IntervieweeName, string IntervieweePost, string InterviewedBy, DateOnly HeldOn, string Subject);

/// <summary>通报批评 naming the case: of which town or unit, why, when, by which office on whose behalf.</summary>
public sealed record CriticismLine(Guid NoticeId, string? Town, string? Unit, string Reason, DateOnly IssuedOn, string IssuingOffice, string OnBehalfOf);

/// <summary>
/// The read model of a case, as <c>GET /api/cases/{id}</c> shows it: one finding, funding check or
/// identification review and what followed it, with labels. Built from the case's events (inline, so a
/// read right after a write sees it); the write model is the smaller <see cref="Case"/>.
/// </summary>
public sealed record CaseView(
    Guid Id, CaseKind Kind, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    ContentArea Area, InspectionMethod Method, string Description, Severity? Severity, CaseStatus Status,
    IReadOnlyList<Evidence> Evidence, string RecordedBy, DateOnly RecordedOn, FundingView? Funding,
    int Amendments, string? WithdrawalReason, ReviewDetails? Review = null, RectificationView? Rectification = null,
    Guid? SourceTipId = null, string? NotRequiredReason = null, LeadView? Lead = null,
    RecheckView? Recheck = null, Guid? RecurrenceOf = null, IReadOnlyList<InterviewLine>? Interviews = null,
    IReadOnlyList<CriticismLine>? Criticisms = null)
{
    public long Version { get; set; }

    /// <summary>Is this a problem to be put right (a finding, or a funding check with irregularities)?</summary>
    public bool IsProblem => Problems.IsProblem(Status == CaseStatus.Open, Kind, Funding?.Irregularities.Count ?? 0, Review?.Verdict);

    public string KindLabel => Codes.LabelOf(Kind);
    public string StatusLabel => Codes.LabelOf(Status);
    public string AreaLabel => Codes.LabelOf(Area);
    public string MethodLabel => Codes.LabelOf(Method);
    public string? SeverityLabel => Severity is { } s ? Codes.LabelOf(s) : null;

    public static CaseView Create(FindingRecorded e) => new(
        e.CaseId, CaseKind.Finding, e.InspectionId, e.Year, e.TownCode, e.UnitCode, e.VillageCode,
        e.Area, e.Method, e.Description, e.Severity, CaseStatus.Open, e.Evidence, e.RecordedBy, e.ObservedOn,
        null, 0, null, SourceTipId: e.SourceTipId);

    public static CaseView Create(FundingCheckRecorded e) => new(
        e.CaseId, CaseKind.FundingCheck, e.InspectionId, e.Year, e.TownCode, e.UnitCode, e.VillageCode,
        ContentArea.FiscalFunds, e.Method, FundingRules.Describe(e.Fund, e.Project), e.Severity, CaseStatus.Open,
        e.Evidence, e.RecordedBy, e.CheckedOn,
        new FundingView(e.Fund, e.SourceLevel, e.Project, e.Allocated, e.Arrived, e.Spent, e.ArrivedOn,
            e.Irregularities, e.IdleMonths, e.OverspendReason, e.Notes),
        0, null);

    public static CaseView Create(IdentificationReviewed e) => new(
        e.CaseId, CaseKind.IdentificationReview, e.InspectionId, e.Year, e.TownCode, e.UnitCode, e.VillageCode,
        ContentArea.IdentificationAndExit, e.Method, e.Description, e.Severity, CaseStatus.Open, e.Evidence, e.RecordedBy,
        e.ReviewedOn, null, 0, null,
        new ReviewDetails(e.DecisionId, e.DecisionKind, e.HouseholdCode, e.People, e.UnregisteredPeopleInVillage, e.Verdict));

    public CaseView Apply(FindingAmended e) => this with
    {
        Description = e.Description ?? Description,
        Severity = e.Severity ?? Severity,
        Area = e.Area ?? Area,
        Method = e.Method ?? Method,
        Evidence = [.. Evidence, .. e.AddedEvidence],
        Amendments = Amendments + 1,
    };

    public CaseView Apply(FundingCheckAmended e) => this with
    {
        Severity = e.Severity ?? Severity,
        Evidence = [.. Evidence, .. e.AddedEvidence],
        Funding = Funding! with
        {
            Allocated = e.Allocated ?? Funding.Allocated,
            Arrived = e.Arrived ?? Funding.Arrived,
            Spent = e.Spent ?? Funding.Spent,
            Irregularities = e.Irregularities ?? Funding.Irregularities,
            IdleMonths = FundingRules.IdleMonthsAfter(Funding.IdleMonths, e.Irregularities, e.IdleMonths),
            OverspendReason = e.OverspendReason ?? Funding.OverspendReason,
        },
        Amendments = Amendments + 1,
    };

    public CaseView Apply(FindingWithdrawn e) => this with { Status = CaseStatus.Withdrawn, WithdrawalReason = e.Reason };

    public CaseView Apply(RectificationRequired e) => this with
    {
        Rectification = new RectificationView(e.InspectionId, e.ResponsibleTown, e.ResponsibleUnit, e.Action,
            e.NotifiedOn, e.Deadline, e.Deadline, RectificationStage.AwaitingResponse, [], [], null),
    };

    public CaseView Apply(RectificationResponded e) => WithRectification(r => r with
    {
        Stage = RectificationStage.Responded,
        Turns = [.. r.Turns, new RectificationTurn(e.Description, e.Evidence, e.RespondedBy, e.OnBehalf, e.RespondedOn, null, null, null)],
    });

    public CaseView Apply(RectificationAccepted e) => WithRectification(r => r with
    {
        Stage = RectificationStage.Closed,
        ClosedOn = e.AcceptedOn,
        Late = e.Late,
        Turns = [.. r.Turns.SkipLast(1), r.Turns[^1] with { Accepted = true, VerdictNote = e.Note, VerifiedOn = e.AcceptedOn }],
    });

    public CaseView Apply(RectificationReturned e) => WithRectification(r => r with
    {
        Stage = RectificationStage.Returned,
        Turns = [.. r.Turns.SkipLast(1), r.Turns[^1] with { Accepted = false, VerdictNote = e.Reason, VerifiedOn = e.ReturnedOn }],
    });

    public CaseView Apply(RectificationExtensionRequested e) => WithRectification(r => r with
    {
        Extensions = [.. r.Extensions, new ExtensionRecord(e.RequestedDeadline, e.Reason, e.RequestedOn, null, null, null)],
    });

    public CaseView Apply(RectificationExtensionGranted e) => WithRectification(r => r with
    {
        Deadline = e.NewDeadline,
        Extensions = [.. r.Extensions.SkipLast(1), r.Extensions[^1] with { Granted = true, DecisionReason = e.Reason, DecidedOn = e.DecidedOn }],
    });

    public CaseView Apply(RectificationExtensionDenied e) => WithRectification(r => r with
    {
        Extensions = [.. r.Extensions.SkipLast(1), r.Extensions[^1] with { Granted = false, DecisionReason = e.Reason, DecidedOn = e.DecidedOn }],
    });

    public CaseView Apply(RectificationReminded e) =>
        WithRectification(r => r with { Reminders = [.. r.Reminders ?? [], new SentReminder(e.Kind, e.Deadline)] });

    public CaseView Apply(RectificationEscalated e) =>
        WithRectification(r => r with { Reminders = [.. r.Reminders ?? [], new SentReminder(ReminderKind.Escalated, e.Deadline)] });

    public CaseView Apply(RectificationNotRequired e) => this with { NotRequiredReason = e.Reason };

    public CaseView Apply(RectificationAcknowledged e) => WithRectification(r => r with
    {
        Acknowledgement = new AcknowledgementRecord(e.ResponsiblePerson, e.ResponsiblePost, e.Measures, e.AcknowledgedBy, e.AcknowledgedOn,
            e.DueBy, e.Late),
    });

    public CaseView Apply(LeadHandedOver e) =>
        this with { Lead = new LeadView(e.Recipient, e.Summary, e.HandedOverOn, e.HandedOverBy, null, null, null, null) };

    public CaseView Apply(RectificationRechecked e) =>
        this with { Recheck = new RecheckView(e.RecheckedOn, e.ProblemBack, e.Findings, e.RecurrenceCaseId, e.RecheckedBy) };

    /// <summary>The new case found back by 回头看 names the case it recurs from.</summary>
    public CaseView Apply(ProblemRecurred e) => this with { RecurrenceOf = e.PreviousCaseId };

    public CaseView Apply(InterviewRecorded e) => this with
    {
        Interviews = [.. Interviews ?? [], new InterviewLine(e.InterviewId, e.IntervieweeName, e.IntervieweePost, e.InterviewedBy, e.HeldOn, e.Subject)],
    };

    public CaseView Apply(CriticismIssued e) => this with
    {
        Criticisms = [.. Criticisms ?? [], new CriticismLine(e.NoticeId, e.CriticisedTown, e.CriticisedUnit, e.Reason, e.IssuedOn, e.IssuingOffice, e.OnBehalfOf)],
    };

    public CaseView Apply(LeadReceiptRecorded e) => this with { Lead = Lead! with { ReceivedBy = e.ReceivedBy, ReceivedOn = e.ReceivedOn } };

    public CaseView Apply(LeadOutcomeRecorded e) => this with { Lead = Lead! with { Outcome = e.Outcome, DecidedOn = e.DecidedOn } };

    private CaseView WithRectification(Func<RectificationView, RectificationView> change) =>
        this with { Rectification = change(Rectification!) };
}
