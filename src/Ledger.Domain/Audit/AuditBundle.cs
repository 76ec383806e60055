using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.Domain.Audit;

/// <summary>
/// What a reviewer audits without a server (<c>GET /api/ledger/bundle</c> makes it, <c>ledger audit</c>
/// checks it; docs/audit.md, "Auditing a bundle by hand"). A zip archive of one county's log:
/// <list type="bullet">
/// <item><c>bundle.json</c>: the <see cref="BundleManifest"/>;</item>
/// <item><c>events.ndjson</c>: one <see cref="BundledEvent"/> per line, in leaf order, every leaf from
/// <see cref="BundleManifest.FirstLeaf"/> to <see cref="BundleManifest.LastLeaf"/> (the period asked for);</item>
/// <item><c>leaves.txt</c>: every leaf hash of the head's tree (RFC 6962 leaf hash, 64 lowercase hex), one per
/// line in leaf order, <see cref="SignedHead.TreeSize"/> lines: the root of any prefix follows from them;</item>
/// <item><c>heads.json</c>: the county's signed heads up to and including the bundle's head, oldest first;</item>
/// <item><c>consistency.json</c>: a <see cref="ConsistencyAnswer"/> from every other head in <c>heads.json</c> to the bundle's head;</item>
/// <item><c>public-key.pem</c>: the key the ledger says it signs with (the auditor trusts its own copy, not this one).</item>
/// </list>
/// All JSON is written and read with <see cref="Json"/>.
/// </summary>
public static class AuditBundle
{
    public const string Format = "ledger-bundle-v1";
    public const string ManifestFile = "bundle.json";
    public const string EventsFile = "events.ndjson";
    public const string LeavesFile = "leaves.txt";
    public const string HeadsFile = "heads.json";
    public const string ConsistencyFile = "consistency.json";
    public const string PublicKeyFile = "public-key.pem";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>
/// The bundle's manifest: its format (<see cref="AuditBundle.Format"/>), county, the period asked for
/// (dates of the events' timestamps in China time, both inclusive; null for the whole log), the leaves
/// of the events given (<c>FirstLeaf</c> > <c>LastLeaf</c> when the period has none) and the signed
/// head everything in the bundle is proved against.
/// </summary>
public sealed record BundleManifest(string Format, string County, DateOnly? From, DateOnly? To, long FirstLeaf, long LastLeaf,
    SignedHead Head, DateTimeOffset MadeAt);

/// <summary>
/// One line of <c>events.ndjson</c>: the event as hashed, at its leaf index in the county's log; in a case file
/// (<see cref="CaseBundle"/>) also its audit path (RFC 6962, bottom up, hex) in the tree of the bundle's head. The
/// audit bundle gives every leaf instead (leaves.txt), and no path.
/// </summary>
public sealed record BundledEvent(long LeafIndex, HashedEvent Event,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? AuditPath = null);
