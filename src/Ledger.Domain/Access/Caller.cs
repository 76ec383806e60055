namespace Ledger.Domain.Access;

/// <summary>
/// Who is acting: the login user, their role (<see cref="Roles"/>), the town or unit a respondent
/// answers for, and the county (tenant) they work in. The API reads it from the validated token and
/// hands it to every decision; the domain never sees a token.
/// </summary>
public sealed record Caller(string User, string Role, string? Scope, string County)
{
    public bool Is(string role) => Role == role;

    /// <summary>A respondent answering for this town or unit.</summary>
    public bool AnswersFor(string? townOrUnit) => Role == Roles.Respondent && Scope is not null && Scope == townOrUnit;
}
