using Ledger.Api.Auth;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Marten;

namespace Ledger.Api.Accounts;

/// <summary>
/// The first administrator of a county without accounts (<c>accounts bootstrap</c>, run by ./run.sh on every
/// start): account <see cref="UserName"/> with a one-time password, which is printed once and must be replaced at
/// the first sign-in. A county that has any account gets nothing, so a later start changes nothing.
/// </summary>
public static class FirstAdministrator
{
    public const string UserName = "admin";

    /// <summary>The one-time password of the administrator it made, or null when the county has accounts already.</summary>
    public static async Task<string?> CreateIfNoneAsync(IDocumentStore store, string county, DateTimeOffset now, CancellationToken ct)
    {
        await using var session = store.LightweightSession(county);
        if (await session.Query<Account>().AnyAsync(ct)) return null;
        var decision = new CreateAccount(UserName, "账户管理员", Roles.Admin, null).Decide(county, null, ChinaTime.Today(now));
        if (decision.Refusal is { } refusal) throw new InvalidOperationException(refusal.Message);
        var id = Account.IdOf(county, UserName);
        var password = Passwords.OneTime();
        session.LastModifiedBy = "system:first-start";
        session.SetHeader(ActorMiddleware.RoleHeader, "system");
        session.Events.StartStream<Account>(id, decision.Events.ToArray());
        session.Store(CreateAccountEndpoint.NewCredential(id, UserName, password, now));
        await session.SaveChangesAsync(ct);   // a second start racing this one loses on the stream's id: nothing twice
        return password;
    }

    /// <summary>What the command prints: the account and its one-time password, or that there is nothing to do.</summary>
    public static string Message(string county, string? password) => password is null
        ? $"{county}: accounts exist already; no administrator made"
        : $"""
           首个管理员账户 (first administrator) of county {county}:
             用户名 user:     {UserName}
             一次性密码 password: {password}
           首次登录时须设置新密码 (to be changed at the first sign-in). It is shown only now.
           """;
}
