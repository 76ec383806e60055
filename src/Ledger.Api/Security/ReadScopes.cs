using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Projections.Cases;
using Ledger.Projections.Inspections;
using Marten;

namespace Ledger.Api.Security;

/// <summary>
/// The access rules of <see cref="AccessRules"/> for reading, as conditions PostgreSQL evaluates, so that
/// lists filter, count and page only what the caller may see. Each mirrors exactly one rule there.
/// </summary>
public static class ReadScopes
{
    /// <summary><see cref="AccessRules.CanRead(Caller, Domain.Inspections.IInspectionScope)"/>, in the database.</summary>
    public static IQueryable<InspectionView> Readable(this IQueryable<InspectionView> query, Caller caller)
    {
        if (AccessRules.ReadsAll(caller)) return query;
        var user = caller.User;
        var code = caller.Scope?.Code;
        return caller.Role switch
        {
            Roles.Inspector => query.Where(i => i.Leader!.User == user || i.Members.Any(m => m.User == user)),
            // AccessRules.VisibleToInspected: after field work started, or (unannounced) once notified to it.
            Roles.Respondent when caller.Scope?.Kind == ScopeKind.Town => query.Where(i => i.TownCodes.Contains(code!)
                && ((!i.Unannounced && i.Status != InspectionStatus.Planned && i.Status != InspectionStatus.TeamFormed)
                    || i.Notifications!.Any(n => n.TownCode == code))),
            Roles.Respondent when caller.Scope?.Kind == ScopeKind.Unit => query.Where(i => i.UnitCodes.Contains(code!)
                && ((!i.Unannounced && i.Status != InspectionStatus.Planned && i.Status != InspectionStatus.TeamFormed)
                    || i.Notifications!.Any(n => n.UnitCode == code))),
            _ => query.Where(i => false),
        };
    }

    /// <summary>
    /// <see cref="AccessRules.CanReadCase"/>, in the database: an inspector's cases are those of the
    /// inspections whose team includes them, a respondent's those of its own town or unit in the
    /// inspections whose results were notified to it (the inspections' ids read first).
    /// </summary>
    public static async Task<IQueryable<CaseView>> ReadableAsync(this IQueryable<CaseView> query, Caller caller, IQuerySession session,
        CancellationToken ct)
    {
        if (AccessRules.ReadsAll(caller)) return query;
        if (caller.Role == Roles.Respondent)
        {
            var notified = (await session.Query<InspectionView>().NotifiedTo(caller).Select(i => i.Id).ToListAsync(ct)).ToArray();
            return query.Covered(caller).Where(c => c.InspectionId.IsOneOf(notified));
        }
        if (caller.Role != Roles.Inspector) return query.Where(c => false);
        var mine = await session.Query<InspectionView>().Readable(caller).Select(i => i.Id).ToListAsync(ct);
        var ids = mine.ToArray();
        return query.Where(c => c.InspectionId.IsOneOf(ids));
    }

    /// <summary><see cref="AccessRules.NotifiedTo"/>, in the database: inspections whose results were notified to the respondent.</summary>
    public static IQueryable<InspectionView> NotifiedTo(this IQueryable<InspectionView> query, Caller caller)
    {
        var code = caller.Scope?.Code;
        return caller.Role != Roles.Respondent ? query.Where(i => false) : caller.Scope?.Kind switch
        {
            ScopeKind.Town => query.Where(i => i.Notifications!.Any(n => n.TownCode == code)),
            ScopeKind.Unit => query.Where(i => i.Notifications!.Any(n => n.UnitCode == code)),
            _ => query.Where(i => false),
        };
    }

    /// <summary><see cref="AccessRules.Covers"/>, in the database: the cases of the respondent's town (town scope) or unit (unit scope).</summary>
    public static IQueryable<CaseView> Covered(this IQueryable<CaseView> query, Caller caller)
    {
        var code = caller.Scope?.Code;
        return caller.Scope?.Kind switch
        {
            ScopeKind.Town => query.Where(c => c.TownCode == code),
            ScopeKind.Unit => query.Where(c => c.UnitCode == code),
            _ => query.Where(c => false),
        };
    }

    /// <summary><see cref="AccessRules.AnswersForRequirement"/>, in the database: the requirements the respondent answers for.</summary>
    public static IQueryable<CaseView> AnsweredFor(this IQueryable<CaseView> query, Caller caller)
    {
        var code = caller.Scope?.Code;
        return caller.Scope?.Kind switch
        {
            ScopeKind.Town => query.Where(c => c.Rectification!.ResponsibleTown == code),
            ScopeKind.Unit => query.Where(c => c.Rectification!.ResponsibleTown == null && c.Rectification.ResponsibleUnit == code),
            _ => query.Where(c => false),
        };
    }
}
