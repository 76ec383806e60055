using Ledger.Api.Auth;
using Ledger.Api.Common;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Marten;

namespace Ledger.Api.Rectifications;

/// <summary>
/// The common path of every step of the loop: open the case at the caller's version, make sure it
/// carries a requirement, let the use case decide, append. A rectification's id is its case's id.
/// </summary>
public static class RectificationWrite
{
    public delegate Decision Decide(Case current, Rectification requirement, Caller caller, DateOnly today);

    public static Task<IResult> RunAsync(Guid id, long? expectedVersion, IDocumentSession session, HttpContext context,
        TimeProvider clock, Decide decide, CancellationToken ct)
        => ExistingStream.WriteAsync<Case>(session, id, expectedVersion, context, "case", current => Task.FromResult(
            current.Rectification is { } requirement
                ? decide(current, requirement, Caller.From(context.User), ChinaTime.Today(clock.GetUtcNow()))
                : Decision.Refuse(Refusal.NotFound($"case {id} has no rectification requirement"))), ct);

    /// <summary>The respondent of the responsible town or unit, or the poverty office on its behalf.</summary>
    public static bool MayAnswerFor(Caller caller, Rectification requirement) =>
        caller.Role == Roles.PovertyOffice || (caller.Role == Roles.Respondent && caller.Scope == requirement.Responsible);
}
