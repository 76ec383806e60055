using Ledger.Domain.Common;
using Ledger.Domain.FollowUp;
using Ledger.Domain.Identification;
using Ledger.Domain.Rectifications;

namespace Ledger.Domain.Inspections;

/// <summary>The figures of a funding check (资金检查), as they stand after any amendments.</summary>
public sealed record FundingFigures(
    string Fund, FundSourceLevel SourceLevel, string Project, decimal Allocated, decimal Arrived, decimal Spent,
    DateOnly? ArrivedOn, IReadOnlyList<FundIrregularity> Irregularities, int? IdleMonths, string? OverspendReason, string? Notes);

/// <summary>
/// The write model of a case: what the rules decide on (what it is about, where, how bad, its
/// funding figures and review verdict, its rectification requirement), evolved from the case's
/// events. The read model, with evidence, labels and history, is CaseView in Ledger.Projections.
/// </summary>
public sealed record Case(
    Guid Id, CaseKind Kind, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    ContentArea Area, InspectionMethod Method, string Description, Severity? Severity, CaseStatus Status,
    FundingFigures? Funding, ReviewVerdict? Verdict = null, Rectification? Rectification = null, string? NotRequiredReason = null,
    LeadHandover? Lead = null, DateOnly? RecheckedOn = null)
{
    public long Version { get; set; }

    /// <summary>Is this a problem to be put right (see <see cref="Problems"/>)?</summary>
    public bool IsProblem => Problems.IsProblem(Status == CaseStatus.Open, Kind, Funding?.Irregularities.Count ?? 0, Verdict);

    public static Case Create(FindingRecorded e) => new(
        e.CaseId, CaseKind.Finding, e.InspectionId, e.Year, e.TownCode, e.UnitCode, e.VillageCode,
        e.Area, e.Method, e.Description, e.Severity, CaseStatus.Open, null);

    public static Case Create(FundingCheckRecorded e) => new(
        e.CaseId, CaseKind.FundingCheck, e.InspectionId, e.Year, e.TownCode, e.UnitCode, e.VillageCode,
        ContentArea.FiscalFunds, e.Method, FundingRules.Describe(e.Fund, e.Project), e.Severity, CaseStatus.Open,
        new FundingFigures(e.Fund, e.SourceLevel, e.Project, e.Allocated, e.Arrived, e.Spent, e.ArrivedOn,
            e.Irregularities, e.IdleMonths, e.OverspendReason, e.Notes));

    public static Case Create(IdentificationReviewed e) => new(
        e.CaseId, CaseKind.IdentificationReview, e.InspectionId, e.Year, e.TownCode, e.UnitCode, e.VillageCode,
        ContentArea.IdentificationAndExit, e.Method, e.Description, e.Severity, CaseStatus.Open, null, e.Verdict);

    public Case Apply(FindingAmended e) => this with
    {
        Description = e.Description ?? Description,
        Severity = e.Severity ?? Severity,
        Area = e.Area ?? Area,
        Method = e.Method ?? Method,
    };

    public Case Apply(FundingCheckAmended e) => this with
    {
        Severity = e.Severity ?? Severity,
        Funding = Funding! with
        {
            Allocated = e.Allocated ?? Funding.Allocated,
            Arrived = e.Arrived ?? Funding.Arrived,
            Spent = e.Spent ?? Funding.Spent,
            Irregularities = e.Irregularities ?? Funding.Irregularities,
            IdleMonths = FundingRules.IdleMonthsAfter(Funding.IdleMonths, e.Irregularities, e.IdleMonths),
            OverspendReason = e.OverspendReason ?? Funding.OverspendReason,
        },
    };

    public Case Apply(FindingWithdrawn e) => this with { Status = CaseStatus.Withdrawn };

    public Case Apply(RectificationRequired e) => this with
    {
        Rectification = new Rectification(e.ResponsibleTown, e.ResponsibleUnit, e.NotifiedOn, e.Deadline,
            RectificationStage.AwaitingResponse, null, null, e.Deadline, e.NotifiedOn),
    };

    public Case Apply(RectificationResponded e) => WithRectification(r => r with
    {
        Stage = RectificationStage.Responded, LastRespondedOn = e.RespondedOn, LastStepOn = e.RespondedOn, LastRespondedBy = e.RespondedBy,
    });

    public Case Apply(RectificationAccepted e) => WithRectification(r => r with { Stage = RectificationStage.Closed, LastStepOn = e.AcceptedOn });

    public Case Apply(RectificationReturned e) => WithRectification(r => r with { Stage = RectificationStage.Returned, LastStepOn = e.ReturnedOn });

    public Case Apply(RectificationExtensionRequested e) => WithRectification(r => r with
    {
        PendingExtension = e.RequestedDeadline, PendingRequestedBy = e.RequestedBy, PendingAfterDeadline = e.AfterDeadline,
    });

    public Case Apply(RectificationExtensionGranted e) => WithRectification(r => r with
    {
        Deadline = e.NewDeadline, PendingExtension = null, PendingRequestedBy = null, PendingAfterDeadline = false,
        TimelinessDeadline = e.AfterDeadline ? r.CountingDeadline : e.NewDeadline,
    });

    public Case Apply(RectificationExtensionDenied e) =>
        WithRectification(r => r with { PendingExtension = null, PendingRequestedBy = null, PendingAfterDeadline = false });

    public Case Apply(RectificationReminded e) =>
        WithRectification(r => r with { Reminded = [.. r.Reminded ?? [], new SentReminder(e.Kind, e.Deadline)] });

    public Case Apply(RectificationEscalated e) =>
        WithRectification(r => r with { Reminded = [.. r.Reminded ?? [], new SentReminder(ReminderKind.Escalated, e.Deadline)] });

    public Case Apply(RectificationNotRequired e) => this with { NotRequiredReason = e.Reason };

    public Case Apply(RectificationAcknowledged e) => WithRectification(r => r with { AcknowledgedOn = e.AcknowledgedOn });

    public Case Apply(LeadHandedOver e) => this with { Lead = new LeadHandover(e.HandedOverOn, null, null) };

    public Case Apply(RectificationRechecked e) => this with { RecheckedOn = e.RecheckedOn };

    public Case Apply(LeadReceiptRecorded e) => this with { Lead = Lead! with { ReceivedOn = e.ReceivedOn } };

    public Case Apply(LeadOutcomeRecorded e) => this with { Lead = Lead! with { DecidedOn = e.DecidedOn } };

    private Case WithRectification(Func<Rectification, Rectification> change) =>
        this with { Rectification = change(Rectification!) };
}
