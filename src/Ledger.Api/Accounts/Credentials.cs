using System.Security.Cryptography;
using JasperFx.MultiTenancy;
using Ledger.Api.Auth;
using Ledger.Domain.Access;
using Marten;
using Microsoft.AspNetCore.Identity;

namespace Ledger.Api.Accounts;

/// <summary>
/// An account's credentials, kept apart from the ledger's events: a password hash in a hash-chained, published log
/// would be a permanent target for offline cracking, and it changes where the events must not. A Marten document
/// per account (same id as its stream, same county): the hash (ASP.NET Core Identity's <see cref="PasswordHasher{T}"/>),
/// whether the password is one-time, the failed sign-ins since the last good one, the lock-out, and from when
/// sessions count (a sign-out or a new password ends every session made before).
/// </summary>
public sealed class AccountCredential
{
    public Guid Id { get; set; }
    public string UserName { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    /// <summary>Set by the administrator: to be replaced at the first sign-in.</summary>
    public bool MustChangePassword { get; set; }
    public int FailedAttempts { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    /// <summary>Sessions issued before this instant (a whole second: a session's issue time is kept to the second) are refused: a new password ends the older ones.</summary>
    public DateTimeOffset SessionsValidFrom { get; set; }
}

/// <summary>A session ended by signing out (by its id, <c>jti</c>): its cookie is refused even if it was kept.</summary>
public sealed class EndedSession
{
    public string Id { get; set; } = "";
    public DateTimeOffset EndedAt { get; set; }
}

/// <summary>Hashing and checking passwords, and making one-time ones.</summary>
public static class Passwords
{
    private static readonly PasswordHasher<AccountCredential> Hasher = new();
    /// <summary>Letters and digits that cannot be mistaken for one another when read out or copied from paper.</summary>
    private const string OneTimeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

    public static string OneTime() => RandomNumberGenerator.GetString(OneTimeAlphabet, 14);

    public static void Set(AccountCredential credential, string password, bool oneTime, DateTimeOffset now)
    {
        credential.PasswordHash = Hasher.HashPassword(credential, password);
        credential.MustChangePassword = oneTime;
        credential.FailedAttempts = 0;
        credential.LockedUntil = null;
        credential.SessionsValidFrom = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    /// <summary>Is this the password? A hash of an older format is replaced by the current one.</summary>
    public static bool Verify(AccountCredential credential, string password)
    {
        if (credential.PasswordHash.Length == 0) return false;
        var result = Hasher.VerifyHashedPassword(credential, credential.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded) credential.PasswordHash = Hasher.HashPassword(credential, password);
        return result != PasswordVerificationResult.Failed;
    }
}

/// <summary>
/// What a token or session of an account must still be on each request: the account exists (for a session),
/// is not disabled, and holds the very role and scope the token or session names — an administrator's change
/// of rights or a disabling ends them at once; a session must also be newer than the account's last sign-out.
/// Tokens of users without an account (the <c>token</c> CLI command's) are not affected.
/// </summary>
public static class AccountChecks
{
    public static async Task<string?> RefusalAsync(HttpContext context, Caller caller, DateTimeOffset? sessionIssued, string? sessionId = null)
    {
        if (!Domain.Common.Counties.IsValidCode(caller.County)) return sessionIssued is null ? null : "the session names no county";
        try
        {
            await using var session = context.RequestServices.GetRequiredService<IDocumentStore>().QuerySession(caller.County);
            var account = await session.LoadAsync<Account>(Account.IdOf(caller.County, caller.User), context.RequestAborted);
            if (account is null) return sessionIssued is null ? null : "no such account";
            if (!account.Grants(caller.Role, caller.Scope?.ToString()))
                return account.Disabled ? "the account is disabled" : "the account's rights have changed: sign in again";
            if (sessionIssued is { } issued)
            {
                var credential = await session.LoadAsync<AccountCredential>(account.Id, context.RequestAborted);
                if (credential is null || issued < credential.SessionsValidFrom) return "the session has ended: sign in again";
                if (sessionId is not null && await session.LoadAsync<EndedSession>(sessionId, context.RequestAborted) is not null)
                    return "the session was signed out";
            }
            return null;
        }
        catch (UnknownTenantIdException)
        {
            return sessionIssued is null ? null : "no database holds the session's county";
        }
    }
}
