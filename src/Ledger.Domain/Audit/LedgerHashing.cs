using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ledger.Domain.Audit;

/// <summary>One stored event, exactly as the hash covers it: every column of the event table the ledger reads.</summary>
public sealed record StoredEvent(
    long Sequence, string StreamId, long Version, string Type, string TenantId, DateTimeOffset Timestamp,
    string? UserName, string? HeadersJson, string DataJson, string Id = "", bool IsArchived = false,
    string? CorrelationId = null, string? CausationId = null);

/// <summary>
/// The event as hashed, so a reviewer can recompute its content hash without the ledger: the lines of
/// <see cref="LedgerHashing.Format"/> (<c>ledger-event-v2</c>, or <c>ledger-event-v1</c> for an entry chained before v2).
/// </summary>
public sealed record HashedEvent(string Format, long Sequence, string Id, string StreamId, long Version, string Type, string TenantId,
    string Timestamp, string UserName, string CorrelationId, string CausationId, bool Archived, string Headers, string Data, string ContentHash)
{
    /// <summary>A stored event as hashed, in the current format or (<paramref name="legacy"/>) the v1 text it was chained in.</summary>
    public static HashedEvent Of(StoredEvent stored, bool legacy = false) => new(
        legacy ? LedgerHashing.LegacyFormat : LedgerHashing.Format, stored.Sequence, stored.Id, stored.StreamId, stored.Version, stored.Type,
        stored.TenantId, LedgerHashing.Timestamp(stored.Timestamp), stored.UserName ?? "", stored.CorrelationId ?? "", stored.CausationId ?? "",
        stored.IsArchived, stored.HeadersJson is null ? "null" : LedgerHashing.CanonicalJson(stored.HeadersJson),
        LedgerHashing.CanonicalJson(stored.DataJson), legacy ? LedgerHashing.LegacyContentHash(stored) : LedgerHashing.ContentHash(stored));
}


/// <summary>
/// The hashes that make the ledger tamper-evident (docs/audit.md gives the procedure by hand):
/// <list type="bullet">
/// <item>content hash of an event = SHA-256 of its fields, one per line, with canonical JSON;</item>
/// <item>chain hash = SHA-256(previous chain hash hex + content hash hex), genesis 64 zeros;</item>
/// <item>Merkle tree over the content hashes in sequence order, as RFC 6962 (certificate transparency).</item>
/// </list>
/// </summary>
public static class LedgerHashing
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The current form of the hashed text (docs/audit.md): every column of the event the ledger reads.</summary>
    public const string Format = "ledger-event-v2";

    /// <summary>The form chained before v2 (no event id, archived flag, correlation or causation), still accepted for entries chained then.</summary>
    public const string LegacyFormat = "ledger-event-v1";

    public static string ContentText(StoredEvent e) => Text(e, e.Sequence.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// The event's fingerprint without its position: equal for the same event wherever it stands,
    /// so verification can tell an event moved to another sequence from one that was changed.
    /// </summary>
    public static string BodyHash(StoredEvent e) => Sha256(Text(e, "*"));

    private static string Text(StoredEvent e, string position) => V2Text(position, e.Id, e.StreamId, e.Version, e.Type, e.TenantId,
        Timestamp(e.Timestamp), e.UserName ?? "", e.CorrelationId ?? "", e.CausationId ?? "", e.IsArchived,
        e.HeadersJson is null ? "null" : CanonicalJson(e.HeadersJson), CanonicalJson(e.DataJson));

    /// <summary>The v1 text of an event chained before v2 (ten lines; docs/audit.md).</summary>
    public static string LegacyContentText(StoredEvent e) => V1Text(e.Sequence, e.StreamId, e.Version, e.Type, e.TenantId,
        Timestamp(e.Timestamp), e.UserName ?? "", e.HeadersJson is null ? "null" : CanonicalJson(e.HeadersJson), CanonicalJson(e.DataJson));

    /// <summary>
    /// The text an event was hashed in, from the fields a bundle or a proof gives (<see cref="HashedEvent"/>): the
    /// fourteen lines of v2 or the ten of v1, as its <c>format</c> says, with <c>headers</c> and <c>data</c> taken as
    /// written (they are given canonical). The same text as <see cref="ContentText(StoredEvent)"/> /
    /// <see cref="LegacyContentText"/> of the stored event it was made from.
    /// </summary>
    public static string ContentText(HashedEvent e) => e.Format switch
    {
        Format => V2Text(e.Sequence.ToString(CultureInfo.InvariantCulture), e.Id, e.StreamId, e.Version, e.Type, e.TenantId,
            e.Timestamp, e.UserName, e.CorrelationId, e.CausationId, e.Archived, e.Headers, e.Data),
        LegacyFormat => V1Text(e.Sequence, e.StreamId, e.Version, e.Type, e.TenantId, e.Timestamp, e.UserName, e.Headers, e.Data),
        _ => throw new ArgumentException($"unknown event format '{e.Format}': {Format} or {LegacyFormat} expected", nameof(e)),
    };

    /// <summary>SHA-256 (hex) of <see cref="ContentText(HashedEvent)"/>: what the event's leaf must be made from.</summary>
    public static string ContentHash(HashedEvent e) => Sha256(ContentText(e));

    /// <summary>Fourteen lines: format, position, event id, stream id, version, type, tenant, timestamp, user, correlation id, causation id, archived, headers, data.</summary>
    private static string V2Text(string position, string id, string streamId, long version, string type, string tenant, string timestamp,
        string user, string correlationId, string causationId, bool archived, string headers, string data) => string.Join("\n",
        Format, position, id, streamId, version.ToString(CultureInfo.InvariantCulture), type, tenant, timestamp, user, correlationId,
        causationId, archived ? "true" : "false", headers, data);

    /// <summary>Ten lines: format, sequence, stream id, version, type, tenant, timestamp, user, headers, data.</summary>
    private static string V1Text(long sequence, string streamId, long version, string type, string tenant, string timestamp, string user,
        string headers, string data) => string.Join("\n",
        LegacyFormat, sequence.ToString(CultureInfo.InvariantCulture), streamId, version.ToString(CultureInfo.InvariantCulture), type, tenant,
        timestamp, user, headers, data);

    public static string LegacyContentHash(StoredEvent e) => Sha256(LegacyContentText(e));

    /// <summary>
    /// Whether a chain entry's content hash holds for the stored event: its v2 hash, or for an entry
    /// chained before v2 its v1 hash while the event is not archived (v1 did not cover the flag, and
    /// the ledger never archives an event, so an archived one is reported).
    /// </summary>
    public static bool Matches(StoredEvent e, string chainedContentHash) =>
        ContentHash(e) == chainedContentHash || (!e.IsArchived && LegacyContentHash(e) == chainedContentHash);

    /// <summary>Timestamps as hashed: UTC, microseconds.</summary>
    public static string Timestamp(DateTimeOffset timestamp) =>
        timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string Sha256(string text) => Hex(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string ContentHash(StoredEvent e) => Sha256(ContentText(e));

    public static string ChainHash(string previous, string contentHash) =>
        Hex(SHA256.HashData(Encoding.ASCII.GetBytes(previous + contentHash)));

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>
    /// Canonical JSON: object keys sorted by ordinal (UTF-16) order, no whitespace, numbers exactly
    /// as stored, strings with only <c>"</c>, <c>\</c> and control characters escaped (\b \t \n \f \r,
    /// else \u00xx) and everything else written as UTF-8.
    /// </summary>
    public static string CanonicalJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var text = new StringBuilder();
        Write(document.RootElement, text);
        return text.ToString();
    }

    private static void Write(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first) text.Append(',');
                    first = false;
                    WriteString(property.Name, text);
                    text.Append(':');
                    Write(property.Value, text);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (i++ > 0) text.Append(',');
                    Write(item, text);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, text);
                break;
            default:
                text.Append(element.GetRawText());
                break;
        }
    }

    private static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\t': text.Append("\\t"); break;
                case '\n': text.Append("\\n"); break;
                case '\f': text.Append("\\f"); break;
                case '\r': text.Append("\\r"); break;
                default:
                    if (c < 0x20) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
