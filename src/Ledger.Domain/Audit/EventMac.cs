using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ledger.Domain.Audit;

/// <summary>
/// The keyed seal every event gets in the transaction that appends it (docs/audit.md): HMAC-SHA256
/// under a key kept outside the database, over the event's identity, who recorded it and its data.
/// Whoever edits a stored event without the key cannot make a seal that matches, whether or not the
/// hash chain has reached the event yet. It does not cover the position (version, sequence): those
/// are given by the database as the event is inserted, and the chain covers the order.
/// </summary>
public static class EventMac
{
    /// <summary>The metadata header that holds the seal (hex, lowercase).</summary>
    public const string Header = "mac";

    /// <summary>
    /// The sealed text: seven lines joined with <c>\n</c> (UTF-8, no final newline): <c>ledger-mac-v1</c>,
    /// tenant (county), stream id, event id (uuids lowercase with dashes), type, user (empty if none),
    /// the canonical JSON of the headers without <c>mac</c> (<c>{}</c> when none), the canonical JSON of the data.
    /// </summary>
    public static string Text(string tenant, string streamId, string eventId, string type, string? userName,
        string? headersJson, string dataJson) => string.Join("\n",
        "ledger-mac-v1",
        tenant,
        streamId,
        eventId,
        type,
        userName ?? "",
        HeadersWithoutMac(headersJson),
        LedgerHashing.CanonicalJson(dataJson));

    /// <summary>The text of a stored event.</summary>
    public static string Text(StoredEvent e) =>
        Text(e.TenantId, e.StreamId, e.Id, e.Type, e.UserName, e.HeadersJson, e.DataJson);

    /// <summary>HMAC-SHA256 of the text under the key, hex lowercase.</summary>
    public static string Compute(ReadOnlySpan<byte> key, string text) =>
        LedgerHashing.Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));

    /// <summary>The seal stored in the headers of an event, if any.</summary>
    public static string? Stored(string? headersJson)
    {
        if (headersJson is null) return null;
        using var document = JsonDocument.Parse(headersJson);
        return document.RootElement.ValueKind == JsonValueKind.Object
               && document.RootElement.TryGetProperty(Header, out var mac) && mac.ValueKind == JsonValueKind.String
            ? mac.GetString()
            : null;
    }

    /// <summary>Whether the event's stored seal is the one its stored content gives under the key (in constant time).</summary>
    public static bool Holds(ReadOnlySpan<byte> key, StoredEvent e) =>
        Stored(e.HeadersJson) is { } stored &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(Compute(key, Text(e))));

    /// <summary>Canonical JSON of the headers object with its <c>mac</c> property left out; <c>{}</c> for none.</summary>
    public static string HeadersWithoutMac(string? headersJson)
    {
        if (headersJson is null) return "{}";
        using var document = JsonDocument.Parse(headersJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object) return LedgerHashing.CanonicalJson(headersJson);
        var rest = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
            if (property.Name != Header) rest[property.Name] = property.Value;
        return LedgerHashing.CanonicalJson(JsonSerializer.Serialize(rest));
    }
}
