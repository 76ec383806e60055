namespace Ledger.Domain.Access;

/// <summary>
/// Who is acting: the login user, their role (<see cref="Roles"/>), the town or unit a respondent
/// answers for (typed, see <see cref="Access.Scope"/>; null when the token has none or an untyped one),
/// and the county (tenant) they work in. The API reads it from the validated token and hands it to
/// every decision; the domain never sees a token.
/// </summary>
public sealed record Caller(string User, string Role, Scope? Scope, string County)
{
    public bool Is(string role) => Role == role;

    /// <summary>A respondent answering for this town or unit (a town scope matches the town, a unit scope the unit).</summary>
    public bool AnswersFor(string? townCode, string? unitCode) =>
        Role == Roles.Respondent && Scope is { } scope && scope.Covers(townCode, unitCode);
}
