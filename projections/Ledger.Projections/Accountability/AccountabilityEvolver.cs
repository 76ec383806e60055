using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;

namespace Ledger.Projections.Accountability;

/// <summary>
/// The one place that says which accountability views and case rows an event touches and how it
/// changes them. The Marten projections call it for the live documents; an as-of query folds past
/// events through the same code, so the past is computed exactly as the present is.
/// </summary>
public static class AccountabilityEvolver
{
    private static IEnumerable<string> Keys(string? town, string? unit, int year)
    {
        if (town is not null) yield return AccountabilityView.KeyOf("town", town, year);
        if (unit is not null) yield return AccountabilityView.KeyOf("unit", unit, year);
    }

    private static IEnumerable<string> Keys(IReadOnlyList<string> towns, IReadOnlyList<string> units, int year) =>
        towns.Select(t => AccountabilityView.KeyOf("town", t, year)).Concat(units.Select(u => AccountabilityView.KeyOf("unit", u, year)));

    /// <summary>
    /// Every event type the evolver reads (<see cref="KeysOf"/>, <see cref="CaseIdOf"/>): a replay of the
    /// past asks the event store for these alone. A type added to either switch is added here too
    /// (a test checks the two agree).
    /// </summary>
    public static readonly IReadOnlyList<Type> EventTypes =
    [
        typeof(InspectionPlanned), typeof(InspectionFieldworkStarted), typeof(InspectionResultsNotified), typeof(PublicApprovalSurveyed),
        typeof(FindingRecorded), typeof(FundingCheckRecorded), typeof(IdentificationReviewed), typeof(FindingAmended),
        typeof(FundingCheckAmended), typeof(FindingWithdrawn), typeof(RectificationRequired), typeof(RectificationResponded),
        typeof(RectificationAccepted), typeof(RectificationReturned), typeof(RectificationExtensionGranted),
    ];

    /// <summary>The views an event belongs to (none for events accountability does not read).</summary>
    public static IReadOnlyList<string> KeysOf(object data) => (data switch
    {
        InspectionPlanned e => Keys(e.TownCodes, e.UnitCodes, e.Year),
        InspectionFieldworkStarted e => Keys(e.TownCodes, e.UnitCodes, e.Year),
        InspectionResultsNotified e => Keys(e.TownCode, e.UnitCode, e.Year),
        PublicApprovalSurveyed e => Keys(e.TownCode, null, e.Year),
        _ => [],
    }).Distinct().ToList();

    public static void Evolve(AccountabilityView view, object data, long sequence, Guid eventId)
    {
        view.LastEventSequence = Math.Max(view.LastEventSequence, sequence);
        switch (data)
        {
            case InspectionPlanned e:
                view.Inspections[e.InspectionId] = new InspectionRow
                {
                    Id = e.InspectionId, Kind = e.Kind, Topic = e.Topic, PlannedStart = e.PlannedStart, PlannedEnd = e.PlannedEnd,
                    ContentAreas = [.. e.ContentAreas ?? []],
                };
                break;
            case InspectionFieldworkStarted e when view.Inspections.TryGetValue(e.InspectionId, out var inspection):
                inspection.FieldworkStartedOn = e.StartedOn;
                break;
            case InspectionResultsNotified e:
                view.Commendations.AddRange(e.Commendations.Select(reason => new CommendationRow(e.InspectionId, reason, e.NotifiedOn, eventId)));
                break;
            case PublicApprovalSurveyed e:
                view.Surveys.Add(new SurveyRow(e.VillageCode, e.Respondents, e.Approving, eventId));
                break;
        }
    }

    /// <summary>The case an event belongs to, for the case rows (null for events that are not about a case).</summary>
    public static Guid? CaseIdOf(object data) => data switch
    {
        FindingRecorded e => e.CaseId,
        FundingCheckRecorded e => e.CaseId,
        IdentificationReviewed e => e.CaseId,
        FindingAmended e => e.CaseId,
        FundingCheckAmended e => e.CaseId,
        FindingWithdrawn e => e.CaseId,
        RectificationRequired e => e.CaseId,
        RectificationResponded e => e.CaseId,
        RectificationAccepted e => e.CaseId,
        RectificationReturned e => e.CaseId,
        RectificationExtensionGranted e => e.CaseId,
        _ => null,
    };

    /// <summary>A case row after the event: made by the recording event, changed by the ones that follow.</summary>
    public static CaseRow? EvolveCase(CaseRow? row, object data, long sequence, Guid eventId)
    {
        row = data switch
        {
            FindingRecorded e => new CaseRow
            {
                Id = e.CaseId, TownCode = e.TownCode, UnitCode = e.UnitCode, Year = e.Year, InspectionId = e.InspectionId,
                Kind = CaseKind.Finding, VillageCode = e.VillageCode, Area = e.Area, Severity = e.Severity, RecordedEventId = eventId,
            },
            FundingCheckRecorded e => new CaseRow
            {
                Id = e.CaseId, TownCode = e.TownCode, UnitCode = e.UnitCode, Year = e.Year, InspectionId = e.InspectionId,
                Kind = CaseKind.FundingCheck, VillageCode = e.VillageCode, Area = ContentArea.FiscalFunds, Severity = e.Severity,
                Allocated = e.Allocated, Arrived = e.Arrived, Spent = e.Spent, Irregularities = [.. e.Irregularities], RecordedEventId = eventId,
            },
            IdentificationReviewed e => new CaseRow
            {
                Id = e.CaseId, TownCode = e.TownCode, UnitCode = e.UnitCode, Year = e.Year, InspectionId = e.InspectionId,
                Kind = CaseKind.IdentificationReview, VillageCode = e.VillageCode, Area = ContentArea.IdentificationAndExit,
                Severity = e.Severity, Verdict = e.Verdict, DecisionKind = e.DecisionKind, People = e.People,
                UnregisteredPeopleInVillage = e.UnregisteredPeopleInVillage, RecordedEventId = eventId,
            },
            _ => row,
        };
        if (row is null) return null;
        row.LastEventSequence = Math.Max(row.LastEventSequence, sequence);
        switch (data)
        {
            case FindingAmended e:
                row.Area = e.Area ?? row.Area;
                row.Severity = e.Severity ?? row.Severity;
                row.AmendmentEventIds.Add(eventId);
                break;
            case FundingCheckAmended e:
                row.AmendmentEventIds.Add(eventId);
                row.Allocated = e.Allocated ?? row.Allocated;
                row.Arrived = e.Arrived ?? row.Arrived;
                row.Spent = e.Spent ?? row.Spent;
                row.Irregularities = e.Irregularities is null ? row.Irregularities : [.. e.Irregularities];
                row.Severity = e.Severity ?? row.Severity;
                break;
            case FindingWithdrawn:
                row.Withdrawn = true;
                break;
            case RectificationRequired e:
                row.Responsible = e.ResponsibleTown ?? e.ResponsibleUnit;
                row.Deadline = e.Deadline;
                row.Stage = RectificationStage.AwaitingResponse;
                row.DeadlineEventIds.Add(eventId);
                break;
            case RectificationResponded:
                row.Stage = RectificationStage.Responded;
                break;
            case RectificationReturned:
                row.Stage = RectificationStage.Returned;
                row.Returns++;
                row.ReturnEventIds.Add(eventId);
                break;
            case RectificationAccepted e:
                row.Stage = RectificationStage.Closed;
                row.ClosedOn = e.AcceptedOn;
                row.Late = e.Late;
                row.AcceptedEventId = eventId;
                break;
            case RectificationExtensionGranted e:
                row.Deadline = e.NewDeadline;
                row.DeadlineEventIds.Add(eventId);
                break;
        }
        return row;
    }
}
