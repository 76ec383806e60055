namespace Ledger.Domain.Rectifications;

/// <summary>
/// The one home of "where does a requirement stand on day D": closed once accepted; otherwise overdue
/// (red) past its deadline, due soon (yellow) within <see cref="DueSoonDays"/> days of it, on track
/// (green) before that. Also the day windows a database query uses for the same colours.
/// </summary>
public static class Deadlines
{
    public const int DueSoonDays = 3;

    public static RectificationStatus StatusOn(RectificationStage stage, DateOnly deadline, DateOnly today) =>
        stage == RectificationStage.Closed ? RectificationStatus.Closed
        : stage == RectificationStage.Responded ? RectificationStatus.AwaitingVerification
        : today > deadline ? RectificationStatus.Overdue
        : deadline.DayNumber - today.DayNumber <= DueSoonDays ? RectificationStatus.DueSoon
        : RectificationStatus.OnTrack;

    /// <summary>Open (not accepted, no response awaiting verification) and past its deadline on that day.</summary>
    public static bool IsOverdue(RectificationStage? stage, DateOnly? deadline, DateOnly today) =>
        stage is not null and not RectificationStage.Closed and not RectificationStage.Responded && deadline < today;

    /// <summary>
    /// The office's own lateness: a response awaiting verification for more than <paramref name="verificationDays"/>
    /// days (from the response's date) on that day.
    /// </summary>
    public static bool VerificationLate(RectificationStage? stage, DateOnly? respondedOn, int verificationDays, DateOnly today) =>
        stage == RectificationStage.Responded && respondedOn is { } on && today.DayNumber - on.DayNumber > verificationDays;

    /// <summary>Accepted after its (current) deadline.</summary>
    public static bool ClosedLate(DateOnly? closedOn, DateOnly? deadline) => closedOn is { } closed && closed > deadline;

    /// <summary>Accepted on or before its deadline.</summary>
    public static bool ClosedOnTime(RectificationStage? stage, DateOnly? closedOn, DateOnly? deadline) =>
        stage == RectificationStage.Closed && !ClosedLate(closedOn, deadline);

    /// <summary>
    /// For an open requirement, the deadlines that give a colour on that day, as an inclusive range
    /// (null: unbounded): overdue up to yesterday, due soon from today to today + 3, on track after.
    /// </summary>
    public static (DateOnly? From, DateOnly? To) DeadlinesGiving(RectificationStatus status, DateOnly today) => status switch
    {
        RectificationStatus.Overdue => (null, today.AddDays(-1)),
        RectificationStatus.DueSoon => (today, today.AddDays(DueSoonDays)),
        RectificationStatus.OnTrack => (today.AddDays(DueSoonDays + 1), null),
        _ => throw new ArgumentOutOfRangeException(nameof(status), "a closed requirement or one awaiting verification has no deadline window"),
    };
}
