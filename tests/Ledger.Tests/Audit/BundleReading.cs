using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Audit;
using Ledger.Tests.Fixtures;

namespace Ledger.Tests.Audit;

/// <summary>
/// An audit bundle read back from its zip, as an auditor would: the files <see cref="AuditBundle"/>
/// names, and what follows from them — which leaves the events given match, which do not.
/// </summary>
public sealed record BundleRead(BundleManifest Manifest, IReadOnlyList<BundledEvent> Events, IReadOnlyList<string> Leaves,
    IReadOnlyList<SignedHead> Heads, IReadOnlyList<ConsistencyAnswer> Consistency, string? PublicKeyPem, IReadOnlyList<string> Files)
{
    public static BundleRead From(HttpResult response)
    {
        Assert.True(response.StatusCode == 200, $"the bundle answered {response.StatusCode}: {Encoding.UTF8.GetString(response.Body)}");
        Assert.Equal("application/zip", response.ContentType);
        using var zip = new ZipArchive(new MemoryStream(response.Body));
        string Text(string name) => new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8).ReadToEnd();
        T Json<T>(string name) => JsonSerializer.Deserialize<T>(Text(name), AuditBundle.Json)!;
        return new BundleRead(
            Json<BundleManifest>(AuditBundle.ManifestFile),
            Text(AuditBundle.EventsFile).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonSerializer.Deserialize<BundledEvent>(line, AuditBundle.Json)!).ToList(),
            Text(AuditBundle.LeavesFile).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Json<List<SignedHead>>(AuditBundle.HeadsFile),
            Json<List<ConsistencyAnswer>>(AuditBundle.ConsistencyFile),
            zip.GetEntry(AuditBundle.PublicKeyFile) is null ? null : Text(AuditBundle.PublicKeyFile),
            zip.Entries.Select(e => e.FullName).ToList());
    }

    /// <summary>The content hash of an event recomputed from its lines (docs/audit.md), without the ledger's code.</summary>
    public static string ContentHash(HashedEvent e) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n",
        e.Format, e.Sequence, e.Id, e.StreamId, e.Version, e.Type, e.TenantId, e.Timestamp, e.UserName, e.CorrelationId, e.CausationId,
        e.Archived ? "true" : "false", e.Headers, e.Data))));

    /// <summary>The RFC 6962 leaf hash (hex) of a content hash.</summary>
    public static string Leaf(string contentHash) => Convert.ToHexStringLower(SHA256.HashData([0, .. Convert.FromHexString(contentHash)]));

    /// <summary>
    /// The leaves of the period that the events given do not match: an event whose recomputed leaf is
    /// not the leaf hash chained (changed, moved, archived), and a leaf with no event at all (deleted).
    /// </summary>
    public IReadOnlyList<long> Wrong()
    {
        var given = Events.ToDictionary(e => e.LeafIndex);
        var wrong = new List<long>();
        for (var leaf = Manifest.FirstLeaf; leaf <= Manifest.LastLeaf; leaf++)
            if (!given.TryGetValue(leaf, out var e) || Leaf(ContentHash(e.Event)) != Leaves[(int)leaf])
                wrong.Add(leaf);
        return wrong;
    }

    /// <summary>The root of the leaves, as RFC 6962 folds them.</summary>
    public string Root() => LedgerHashing.Hex(MerkleTree.Root(Leaves.Select(Convert.FromHexString).ToList()));
}
