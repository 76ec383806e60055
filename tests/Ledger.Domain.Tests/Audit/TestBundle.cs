using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Audit;

namespace Ledger.Domain.Tests.Audit;

/// <summary>
/// A real audit bundle built in memory the way the ledger builds one (docs/audit.md): a county's stored events
/// hashed (<see cref="HashedEvent.Of"/>, the first ones in the v1 text as if chained before v2), their leaves, heads
/// signed with a fresh P-256 key at a few sizes, consistency proofs from each to the newest. Its parts stay editable
/// (lines of text, records) so a test can attack one and zip it again.
/// </summary>
public sealed class TestBundle
{
    public const string County = "440233";
    public const string OtherCounty = "440232";
    private static readonly DateTimeOffset Start = new(2017, 9, 1, 8, 30, 0, TimeSpan.FromHours(8));

    public required ECDsa Key { get; init; }
    public required List<StoredEvent> Stored { get; init; }
    public required List<string> EventLines { get; init; }
    public required List<string> LeafLines { get; init; }
    public required List<SignedHead> Heads { get; init; }
    public required List<ConsistencyAnswer> Proofs { get; init; }
    public required BundleManifest Manifest { get; set; }
    public required string PublicKeyPem { get; set; }

    public string ReviewerKeyPem => TreeHeadSignature.PublicKeyPem(Key);
    public SignedHead Head => Manifest.Head;

    /// <summary>
    /// A bundle of a log of <paramref name="events"/> events with heads at <paramref name="headSizes"/> and at the
    /// full size; the first <paramref name="legacy"/> events hashed in v1; events <paramref name="first"/>..<paramref name="last"/>
    /// given (the whole log by default, with no period). <paramref name="edit"/> changes the stored events first
    /// (to make another history).
    /// </summary>
    public static TestBundle Make(int events = 20, int[]? headSizes = null, int legacy = 3, int? first = null, int? last = null,
        ECDsa? key = null, Func<int, StoredEvent, StoredEvent>? edit = null)
    {
        key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var stored = Enumerable.Range(0, events).Select(i => Event(i)).Select((e, i) => edit?.Invoke(i, e) ?? e).ToList();
        var hashed = stored.Select((e, i) => HashedEvent.Of(e, legacy: i < legacy)).ToList();
        var leaves = hashed.Select(h => MerkleTree.Leaf(Convert.FromHexString(h.ContentHash))).ToList();
        var chain = new List<string>();
        foreach (var h in hashed) chain.Add(LedgerHashing.ChainHash(chain.Count == 0 ? LedgerHashing.Genesis : chain[^1], h.ContentHash));

        var sizes = (headSizes ?? [5, 12]).Where(n => n < events).Append(events).Distinct().Order().ToList();
        var heads = sizes.Select(n => SignHead(new TreeHead(County, n, Root(leaves, n), chain[n - 1], stored[n - 1].Sequence,
            TreeHead.Microseconds(Start.AddMinutes(n).AddTicks(1234567))), key)).ToList();
        var proofs = sizes.Where(n => n < events).Select(n => new ConsistencyAnswer(n, events, Root(leaves, n), Root(leaves, events),
            MerkleTree.ConsistencyProof(leaves, n).Select(p => LedgerHashing.Hex(p)).ToList())).ToList();

        var (from, to) = (first ?? 0, last ?? events - 1);
        var period = first is null && last is null
            ? ((DateOnly?)null, (DateOnly?)null)
            : (DateOnly.FromDateTime(stored[from].Timestamp.ToOffset(TimeSpan.FromHours(8)).DateTime),
                DateOnly.FromDateTime(stored[to].Timestamp.ToOffset(TimeSpan.FromHours(8)).DateTime));
        return new TestBundle
        {
            Key = key,
            Stored = stored,
            EventLines = Enumerable.Range(from, to - from + 1)
                .Select(i => JsonSerializer.Serialize(new BundledEvent(i, hashed[i]), AuditBundle.Json)).ToList(),
            LeafLines = leaves.Select(l => LedgerHashing.Hex(l)).ToList(),
            Heads = heads,
            Proofs = proofs,
            Manifest = new BundleManifest(AuditBundle.Format, County, period.Item1, period.Item2, from, to, heads[^1],
                Start.AddDays(400)),
            PublicKeyPem = TreeHeadSignature.PublicKeyPem(key),
        };
    }

    /// <summary>The county's i-th event: its sequences leave gaps (another county's events stand between).</summary>
    public static StoredEvent Event(int i) => new(
        Sequence: 10 + 2 * i,
        StreamId: $"0196a1b2-0000-7000-8000-{i / 4:x12}",
        Version: i % 4 + 1,
        Type: i % 4 == 0 ? "case_opened" : "finding_recorded",
        TenantId: County,
        Timestamp: Start.AddHours(7 * i).AddTicks(10 * i),
        UserName: i % 3 == 0 ? null : "张三",
        HeadersJson: $$"""{"role":"inspector","mac":"{{i:x64}}"}""",
        DataJson: $$"""{ "Description": "第{{i}}条 问题\n“资金闲置”", "Amount": {{i}}.50, "Town": "440233100" }""",
        Id: $"0196a1b2-0000-7000-8000-{i + 1000:x12}",
        CorrelationId: i % 2 == 0 ? $"corr-{i}" : null,
        CausationId: null);

    public static SignedHead SignHead(TreeHead head, ECDsa key) =>
        SignedHead.Of(head, TreeHeadSignature.Sign(head, key), TreeHeadSignature.KeyId(key));

    private static string Root(List<byte[]> leaves, int n) => LedgerHashing.Hex(MerkleTree.Root(leaves[..n]));

    /// <summary>The hashed event of a line of events.ndjson.</summary>
    public BundledEvent Line(int index) => JsonSerializer.Deserialize<BundledEvent>(EventLines[index], AuditBundle.Json)!;

    /// <summary>Replaces a line with the event changed by <paramref name="change"/> (its content hash left as it was).</summary>
    public void EditLine(int index, Func<HashedEvent, HashedEvent> change)
    {
        var line = Line(index);
        EventLines[index] = JsonSerializer.Serialize(line with { Event = change(line.Event) }, AuditBundle.Json);
    }

    /// <summary>The bundle's head and its copy in heads.json replaced by <paramref name="head"/>.</summary>
    public void ReplaceHead(SignedHead head)
    {
        Heads[^1] = head;
        Manifest = Manifest with { Head = head };
    }

    public byte[] Zip()
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, string text)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
            Add(AuditBundle.ManifestFile, JsonSerializer.Serialize(Manifest, AuditBundle.Json));
            Add(AuditBundle.EventsFile, string.Concat(EventLines.Select(l => l + "\n")));
            Add(AuditBundle.LeavesFile, string.Concat(LeafLines.Select(l => l + "\n")));
            Add(AuditBundle.HeadsFile, JsonSerializer.Serialize(Heads, AuditBundle.Json));
            Add(AuditBundle.ConsistencyFile, JsonSerializer.Serialize(Proofs, AuditBundle.Json));
            Add(AuditBundle.PublicKeyFile, PublicKeyPem);
        }
        return memory.ToArray();
    }

    /// <summary>Audits the zipped bundle with the reviewer's copy of the key (this bundle's own by default).</summary>
    public AuditReport Audit(string? reviewerKeyPem = null, SignedHead? saved = null) =>
        OfflineAudit.Run(new MemoryStream(Zip()), reviewerKeyPem ?? ReviewerKeyPem,
            saved is null ? null : JsonSerializer.Serialize(saved, AuditBundle.Json));
}
