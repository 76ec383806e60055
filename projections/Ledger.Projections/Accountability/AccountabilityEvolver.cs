using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;

namespace Ledger.Projections.Accountability;

/// <summary>
/// The one place that says which accountability views an event touches and how it changes them.
/// The Marten projection calls it for the live views; an as-of query folds past events through the
/// same code, so a view of the past is computed exactly as the live one was.
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

    /// <summary>The views an event belongs to (none for events accountability does not read).</summary>
    public static IReadOnlyList<string> KeysOf(object data) => (data switch
    {
        InspectionPlanned e => Keys(e.TownCodes, e.UnitCodes, e.Year),
        InspectionFieldworkStarted e => Keys(e.TownCodes, e.UnitCodes, e.Year),
        InspectionResultsNotified e => Keys(e.TownCode, e.UnitCode, e.Year),
        FindingRecorded e => Keys(e.TownCode, e.UnitCode, e.Year),
        FundingCheckRecorded e => Keys(e.TownCode, e.UnitCode, e.Year),
        IdentificationReviewed e => Keys(e.TownCode, e.UnitCode, e.Year),
        FindingAmended e => Keys(e.TownCode, e.UnitCode, e.Year),
        FundingCheckAmended e => Keys(e.TownCode, e.UnitCode, e.Year),
        FindingWithdrawn e => Keys(e.TownCode, e.UnitCode, e.Year),
        RectificationRequired e => Keys(e.TownCode, e.UnitCode, e.Year),
        RectificationResponded e => Keys(e.TownCode, e.UnitCode, e.Year),
        RectificationAccepted e => Keys(e.TownCode, e.UnitCode, e.Year),
        RectificationReturned e => Keys(e.TownCode, e.UnitCode, e.Year),
        RectificationExtensionGranted e => Keys(e.TownCode, e.UnitCode, e.Year),
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
                };
                break;
            case InspectionFieldworkStarted e when view.Inspections.TryGetValue(e.InspectionId, out var inspection):
                inspection.FieldworkStartedOn = e.StartedOn;
                break;
            case InspectionResultsNotified e:
                view.Commendations.AddRange(e.Commendations.Select(reason => new CommendationRow(e.InspectionId, reason, e.NotifiedOn, eventId)));
                break;
            case FindingRecorded e:
                view.Cases[e.CaseId] = new CaseRow
                {
                    Id = e.CaseId, InspectionId = e.InspectionId, Kind = CaseKind.Finding, VillageCode = e.VillageCode, Area = e.Area,
                    Severity = e.Severity, RecordedEventId = eventId,
                };
                break;
            case FundingCheckRecorded e:
                view.Cases[e.CaseId] = new CaseRow
                {
                    Id = e.CaseId, InspectionId = e.InspectionId, Kind = CaseKind.FundingCheck, VillageCode = e.VillageCode,
                    Area = ContentArea.FiscalFunds, Severity = e.Severity, Allocated = e.Allocated, Arrived = e.Arrived, Spent = e.Spent,
                    Irregularities = [.. e.Irregularities], RecordedEventId = eventId,
                };
                break;
            case IdentificationReviewed e:
                view.Cases[e.CaseId] = new CaseRow
                {
                    Id = e.CaseId, InspectionId = e.InspectionId, Kind = CaseKind.IdentificationReview, VillageCode = e.VillageCode,
                    Area = ContentArea.IdentificationAndExit, Severity = e.Severity, Verdict = e.Verdict, DecisionKind = e.DecisionKind,
                    People = e.People, UnregisteredPeopleInVillage = e.UnregisteredPeopleInVillage, RecordedEventId = eventId,
                };
                break;
            case PublicApprovalSurveyed e:
                view.Surveys.Add(new SurveyRow(e.VillageCode, e.Respondents, e.Approving, eventId));
                break;
            default:
                if (CaseId(data) is { } caseId && view.Cases.TryGetValue(caseId, out var row)) EvolveCase(row, data, eventId);
                break;
        }
    }

    private static Guid? CaseId(object data) => data switch
    {
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

    private static void EvolveCase(CaseRow row, object data, Guid eventId)
    {
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
                row.AcceptedEventId = eventId;
                break;
            case RectificationExtensionGranted e:
                row.Deadline = e.NewDeadline;
                row.DeadlineEventIds.Add(eventId);
                break;
        }
    }
}
