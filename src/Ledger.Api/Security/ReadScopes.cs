using Ledger.Domain.Access;
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
        var scope = caller.Scope;
        return caller.Role switch
        {
            Roles.Inspector => query.Where(i => i.Leader!.User == user || i.Members.Any(m => m.User == user)),
            Roles.Respondent when scope is not null => query.Where(i => i.TownCodes.Contains(scope) || i.UnitCodes.Contains(scope)),
            _ => query.Where(i => false),
        };
    }

    /// <summary>
    /// <see cref="AccessRules.CanReadCase"/>, in the database: an inspector's cases are those of the
    /// inspections whose team includes them (their ids read first).
    /// </summary>
    public static async Task<IQueryable<CaseView>> ReadableAsync(this IQueryable<CaseView> query, Caller caller, IQuerySession session,
        CancellationToken ct)
    {
        if (AccessRules.ReadsAll(caller)) return query;
        var scope = caller.Scope;
        if (caller.Role == Roles.Respondent && scope is not null)
            return query.Where(c => c.TownCode == scope || c.UnitCode == scope);
        if (caller.Role != Roles.Inspector) return query.Where(c => false);
        var mine = await session.Query<InspectionView>().Readable(caller).Select(i => i.Id).ToListAsync(ct);
        var ids = mine.ToArray();
        return query.Where(c => c.InspectionId.IsOneOf(ids));
    }
}
