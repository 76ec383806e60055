using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;

namespace Ledger.Projections.Accountability;

/// <summary>
/// What one town or unit is accountable for in one year beyond its cases: the inspections that
/// cover it, its commendations, its approval surveys. Its cases are <see cref="CaseRow"/> documents
/// of their own (found by town, unit and year), so a busy town never makes one huge document. The
/// figures the API shows are computed from both by <see cref="AccountabilityFigures"/>.
/// Id: <c>town:{code}:{year}</c> or <c>unit:{code}:{year}</c>.
/// </summary>
public sealed class AccountabilityView
{
    public string Id { get; set; } = "";
    public Dictionary<Guid, InspectionRow> Inspections { get; set; } = [];
    public List<CommendationRow> Commendations { get; set; } = [];
    public List<SurveyRow> Surveys { get; set; } = [];
    /// <summary>The global sequence of the last event that changed this view.</summary>
    public long LastEventSequence { get; set; }

    public static string KeyOf(string scope, string code, int year) => $"{scope}:{code}:{year}";
}

public sealed class InspectionRow
{
    public Guid Id { get; set; }
    public InspectionKind Kind { get; set; }
    public string? Topic { get; set; }
    public DateOnly PlannedStart { get; set; }
    public DateOnly PlannedEnd { get; set; }
    public DateOnly? FieldworkStartedOn { get; set; }
    /// <summary>The content areas the plan names (a comprehensive inspection naming none examines all eight).</summary>
    public List<ContentArea> ContentAreas { get; set; } = [];

    /// <summary>The content areas this inspection examines: those of its plan, or all eight for a comprehensive one naming none.</summary>
    public IReadOnlyList<ContentArea> Examines() => ContentAreas.Count == 0 && Kind == InspectionKind.Comprehensive
        ? Enum.GetValues<ContentArea>()
        : ContentAreas;
}

public sealed record CommendationRow(Guid InspectionId, string Reason, DateOnly NotifiedOn, Guid EventId);

public sealed record SurveyRow(string? VillageCode, int Respondents, int Approving, Guid EventId);

/// <summary>
/// One case as far as accountability needs it: a document per case (kept by the async daemon), with
/// the town, unit and year it counts for, and the events behind it.
/// </summary>
public sealed class CaseRow
{
    public Guid Id { get; set; }
    public string? TownCode { get; set; }
    public string? UnitCode { get; set; }
    public int Year { get; set; }
    /// <summary>The global sequence of the last event that changed this row.</summary>
    public long LastEventSequence { get; set; }

    /// <summary>Does this case count for the view with this key (<c>town:{code}:{year}</c> / <c>unit:{code}:{year}</c>)?</summary>
    public bool CountsFor(string key) =>
        key == AccountabilityView.KeyOf("town", TownCode ?? "", Year) || key == AccountabilityView.KeyOf("unit", UnitCode ?? "", Year);

    public Guid InspectionId { get; set; }
    public CaseKind Kind { get; set; }
    public string? VillageCode { get; set; }
    public ContentArea Area { get; set; }
    public Severity? Severity { get; set; }
    public bool Withdrawn { get; set; }
    public decimal Allocated { get; set; }
    public decimal Arrived { get; set; }
    public decimal Spent { get; set; }
    public List<FundIrregularity> Irregularities { get; set; } = [];
    public ReviewVerdict? Verdict { get; set; }
    public DecisionKind? DecisionKind { get; set; }
    public int People { get; set; }
    public int? UnregisteredPeopleInVillage { get; set; }
    public string? Responsible { get; set; }
    public DateOnly? Deadline { get; set; }
    public RectificationStage? Stage { get; set; }
    public DateOnly? ClosedOn { get; set; }
    /// <summary>As the acceptance judged it: the response accepted came after the deadline that counts.</summary>
    public bool Late { get; set; }
    public int Returns { get; set; }

    // The events behind the row, so that every point of an assessment can name its causes.
    public Guid RecordedEventId { get; set; }
    public List<Guid> AmendmentEventIds { get; set; } = [];
    public List<Guid> DeadlineEventIds { get; set; } = [];
    public List<Guid> ReturnEventIds { get; set; } = [];
    public Guid? AcceptedEventId { get; set; }

    public bool IsProblem => Problems.IsProblem(!Withdrawn, Kind, Irregularities.Count, Verdict);
}
