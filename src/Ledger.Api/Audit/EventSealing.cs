using Ledger.Domain.Audit;
using Marten;

namespace Ledger.Api.Audit;

/// <summary>
/// The key that seals events (HMAC-SHA256, <see cref="EventMac"/>), from <c>Ledger:Audit:MacKey</c>
/// (at least 32 bytes, base64; ./run.sh makes one in .local/mac-key). It never lives in the database:
/// whoever runs the database cannot seal an event they edit or insert. <c>Ledger:Audit:MacFrom</c>
/// (default 1) is the first global sequence that must carry a seal: a ledger that existed before
/// seals sets it to the first sequence appended after the upgrade (docs/audit.md).
/// </summary>
public sealed class MacKey
{
    public const string ConfigurationKey = "Ledger:Audit:MacKey";
    public const string FromKey = "Ledger:Audit:MacFrom";

    public MacKey(byte[] key, long requiredFrom = 1)
    {
        if (key.Length < 32) throw new InvalidOperationException($"{ConfigurationKey} must be at least 32 bytes (base64)");
        Key = key;
        RequiredFrom = requiredFrom;
    }

    public byte[] Key { get; }

    /// <summary>Events at or after this sequence must carry a seal; those before are from before seals existed.</summary>
    public long RequiredFrom { get; }

    public static MacKey From(IConfiguration configuration)
    {
        var text = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidOperationException(
                $"{ConfigurationKey} must be set to at least 32 random bytes in base64 (environment variable " +
                "Ledger__Audit__MacKey; ./run.sh makes one in .local/mac-key). It seals every event as it is appended.");
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{ConfigurationKey} must be base64", e);
        }
        var from = long.TryParse(configuration[FromKey], out var parsed) && parsed > 0 ? parsed : 1;
        return new MacKey(key, from);
    }
}

/// <summary>
/// Seals every event a session appends, in the transaction that appends it: just before Marten sends
/// the batch, each pending event gets the header <c>mac</c> = HMAC of its tenant, stream, id, type,
/// user, other headers and data. Registered on the store, so every write path gets it (the one write
/// path, the anonymous tip's own session, the registry import, the load generator).
/// </summary>
public sealed class EventSealingListener(MacKey key) : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        // The serializer Marten stores the data and headers with.
        var serializer = session.DocumentStore.Options.Serializer();
        foreach (var stream in session.PendingChanges.Streams())
        {
            foreach (var e in stream.Events)
            {
                // A fresh dictionary per event: never share the session's headers between events.
                var headers = e.Headers is null ? new Dictionary<string, object>() : new Dictionary<string, object>(e.Headers);
                headers.Remove(EventMac.Header);
                var text = EventMac.Text(e.TenantId ?? stream.TenantId ?? session.TenantId, stream.Id.ToString(), e.Id.ToString(),
                    e.EventTypeName, e.UserName, serializer.ToJson(headers), serializer.ToJson(e.Data));
                headers[EventMac.Header] = EventMac.Compute(key.Key, text);
                e.Headers = headers;
            }
        }
        return Task.CompletedTask;
    }
}
