using Ledger.Api.Audit;
using Ledger.Api.Auth;
using Ledger.Api.Storage;
using Ledger.Domain.Identification;
using Ledger.Domain.Tips;
using Marten;

namespace Ledger.Api.Security;

/// <summary>What a re-encryption did in one county: values moved to the current key, values already under it, values no key opens.</summary>
public sealed record ReencryptionResult(string County, string KeyId, int Reencrypted, int AlreadyCurrent, IReadOnlyList<string> Unreadable);

/// <summary>
/// <c>ledger reencrypt</c>: brings every encrypted field of a county under the current key. Events
/// are immutable, so nothing is rewritten: each household ID number and tip contact held under
/// another key (or under no key id, from earlier versions) gets a correction event —
/// <see cref="IdNumberReencrypted"/>, <see cref="TipContactReencrypted"/> — carrying the new
/// ciphertext, which the record's document takes from then on. The older ciphertexts stay in
/// the older events, readable only while their key is kept: once every county is re-encrypted the
/// old key can be removed, and with it (crypto-shredding) every copy made under it.
/// </summary>
public sealed class Reencryption(IDocumentStore store, FieldProtector protector)
{
    public async Task<IReadOnlyList<ReencryptionResult>> RunAsync(string? onlyCounty, string actor, CancellationToken ct)
    {
        var counties = new List<string>();
        if (onlyCounty is not null) counties.Add(onlyCounty);
        else
            foreach (var database in await store.DatabasesAsync())
                counties.AddRange(await new ViewCheck(store).CountiesAsync(database, ct));
        var results = new List<ReencryptionResult>();
        foreach (var county in counties.Distinct()) results.Add(await RunInAsync(county, actor, ct));
        return results;
    }

    /// <summary>One county, in one transaction: a record written meanwhile makes it a 409-like failure; run it again.</summary>
    private async Task<ReencryptionResult> RunInAsync(string county, string actor, CancellationToken ct)
    {
        var current = protector.CurrentKeyId ?? throw new InvalidOperationException($"no key configured ({FieldProtector.KeysSection})");
        await using var session = store.LightweightSession(county);
        session.LastModifiedBy = actor;
        session.SetHeader(ActorMiddleware.RoleHeader, "system");
        int moved = 0, already = 0;
        var unreadable = new List<string>();

        foreach (var household in await session.Query<Household>().Where(h => h.IdNumberEncrypted != null).ToListAsync(ct))
        {
            var cipher = household.IdNumberEncrypted!;
            if (FieldProtector.KeyIdOf(cipher) == current) { already++; continue; }
            var binding = FieldBinding.IdNumber(county, household.Id);
            var plain = protector.Unprotect(cipher, binding);
            if (plain.Value is null) { unreadable.Add($"household {household.Code}: {plain.Problem}"); continue; }
            var stream = await session.Events.FetchForWriting<Household>(household.Id, ct);
            stream.AppendOne(new IdNumberReencrypted(household.Id, household.Code, household.TownCode, household.VillageCode,
                protector.Protect(plain.Value, binding), current));
            moved++;
        }
        foreach (var tip in await session.Query<Tip>().Where(t => t.ContactEncrypted != null).ToListAsync(ct))
        {
            var cipher = tip.ContactEncrypted!;
            if (FieldProtector.KeyIdOf(cipher) == current) { already++; continue; }
            var binding = FieldBinding.Contact(county, tip.Id);
            var plain = protector.Unprotect(cipher, binding);
            if (plain.Value is null) { unreadable.Add($"tip {tip.Id}: {plain.Problem}"); continue; }
            var stream = await session.Events.FetchForWriting<Tip>(tip.Id, ct);
            stream.AppendOne(new TipContactReencrypted(tip.Id, protector.Protect(plain.Value, binding), current));
            moved++;
        }
        await session.SaveChangesAsync(ct);
        return new ReencryptionResult(county, current, moved, already, unreadable);
    }
}
