using Ledger.Domain.Rectifications;

namespace Ledger.Projections.Cases;

/// <summary>Conditions on case views that PostgreSQL evaluates, built from the Domain's rules.</summary>
public static class CaseQueries
{
    /// <summary>
    /// Cases whose requirement has this colour on that day (<see cref="Deadlines.StatusOn"/>): closed by
    /// stage; the others by stage and the deadline window <see cref="Deadlines.DeadlinesGiving"/> gives.
    /// </summary>
    public static IQueryable<CaseView> Coloured(this IQueryable<CaseView> query, RectificationStatus colour, DateOnly today)
    {
        if (colour == RectificationStatus.Closed)
            return query.Where(c => c.Rectification != null && c.Rectification.Stage == RectificationStage.Closed);
        if (colour == RectificationStatus.AwaitingVerification)
            return query.Where(c => c.Rectification != null && c.Rectification.Stage == RectificationStage.Responded);
        var (from, to) = Deadlines.DeadlinesGiving(colour, today);
        query = query.Where(c => c.Rectification != null && c.Rectification.Stage != RectificationStage.Closed
            && c.Rectification.Stage != RectificationStage.Responded);
        if (from is { } earliest) query = query.Where(c => c.Rectification!.Deadline >= earliest);
        if (to is { } latest) query = query.Where(c => c.Rectification!.Deadline <= latest);
        return query;
    }
}
