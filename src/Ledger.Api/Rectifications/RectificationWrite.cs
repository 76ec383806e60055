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

    public static async Task<IResult> RunAsync(Guid id, long? expectedVersion, IDocumentSession session, HttpContext context,
        TimeProvider clock, Decide decide, CancellationToken ct)
    {
        var (stream, refused) = await ExistingStream.OpenAsync<Case>(session, id, expectedVersion, context, "case", ct);
        if (stream is null) return refused!;
        if (stream.Aggregate!.Rectification is not { } requirement)
            return ProblemAnswers.NotFound($"case {id} has no rectification requirement").ToResult();
        var decision = decide(stream.Aggregate, requirement, Caller.From(context.User), ChinaTime.Today(clock.GetUtcNow()));
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        stream.AppendMany(decision.Events);
        return Results.Ok(new WriteAnswer(id, ExistingStream.VersionOf(stream) + decision.Events.Count));
    }

    /// <summary>The respondent of the responsible town or unit, or the poverty office on its behalf.</summary>
    public static bool MayAnswerFor(Caller caller, Rectification requirement) =>
        caller.Role == Roles.PovertyOffice || (caller.Role == Roles.Respondent && caller.Scope == requirement.Responsible);
}
