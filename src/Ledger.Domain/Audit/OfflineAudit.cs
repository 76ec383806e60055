using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Common;

namespace Ledger.Domain.Audit;

/// <summary>
/// One problem an audit found, located: the file of the bundle (or <c>saved head</c>), and where it
/// applies — the line of that file, the leaf index, the event's sequence, the size of the head — with
/// a plain explanation. <see cref="Kind"/> is a short tag (<c>content-hash</c>, <c>missing</c>, <c>signature</c>, …;
/// docs/audit.md lists them).
/// </summary>
public sealed record AuditProblem(string Kind, string File, string Detail, long? Line = null, long? LeafIndex = null,
    long? Sequence = null, long? HeadSize = null)
{
    /// <summary>Where, in words: <c>events.ndjson line 5 (leaf 4, sequence 17)</c>.</summary>
    public string Where
    {
        get
        {
            var parts = new List<string>();
            if (LeafIndex is { } leaf) parts.Add($"leaf {leaf}");
            if (Sequence is { } sequence) parts.Add($"sequence {sequence}");
            if (HeadSize is { } size) parts.Add($"head of size {size}");
            var at = Line is { } line ? $"{File} line {line}" : File;
            return parts.Count == 0 ? at : $"{at} ({string.Join(", ", parts)})";
        }
    }
}

/// <summary>
/// What <see cref="OfflineAudit"/> found: the county and head the bundle is proved against (when it
/// could be read), how many event lines were checked and the leaf range the manifest gives, how many heads of
/// heads.json and consistency proofs were checked, the saved head compared (if any), and every problem (the first <see cref="OfflineAudit.MaxProblems"/> kept,
/// <see cref="ProblemCount"/> counts them all). Intact when there is none.
/// </summary>
public sealed record AuditReport(string? County, SignedHead? Head, DateOnly? From, DateOnly? To, long EventsChecked, long FirstLeaf,
    long LastLeaf, long LeavesRead, int HeadsChecked, int ProofsChecked, SignedHead? SavedHead, long ProblemCount,
    IReadOnlyList<AuditProblem> Problems)
{
    public bool Intact => ProblemCount == 0;

    /// <summary>For a case file (<see cref="CaseBundle"/>): the case.</summary>
    public Guid? CaseId { get; init; }

    /// <summary>For a case file: the cited files found in it and checked against their hashes and sizes.</summary>
    public int FilesChecked { get; init; }
}

/// <summary>
/// The auditor that needs no server (<c>ledger audit</c>; docs/audit.md, "Auditing a bundle by hand"): checks an
/// <see cref="AuditBundle"/> against the reviewer's own copy of the public key and, optionally, a head the reviewer
/// saved earlier. Pure: it reads only the stream and texts it is given. Every head must be the county's, say in its
/// signed text what its fields say and be signed by the reviewer's key; <c>leaves.txt</c> must be the head's tree;
/// every event line must hash to its leaf, in leaf order, none missing, extra, repeated, archived or of another
/// county; every consistency proof must take its head to the bundle's head; the saved head must be a prefix of the
/// bundle's tree (a bigger one means the log was truncated). Events are read line by line; the leaves are held
/// (32 bytes each).
/// </summary>
public static partial class OfflineAudit
{
    /// <summary>The problems kept in a report; more are counted only.</summary>
    public const int MaxProblems = 1000;

    public const string SavedHeadFile = "saved head";

    /// <summary>
    /// Audits the bundle. Throws <see cref="ArgumentException"/> when the inputs cannot be read at all (the key is not
    /// a PEM public key, the saved head is not a head's JSON, the bundle is not a zip archive); everything wrong
    /// inside the bundle is a problem of the report.
    /// </summary>
    public static AuditReport Run(Stream bundle, string reviewerPublicKeyPem, string? savedHeadJson = null)
    {
        using var key = ReadKey(reviewerPublicKeyPem);
        var saved = savedHeadJson is null ? null : ReadSavedHead(savedHeadJson);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(bundle, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException($"the bundle is not a zip archive: {e.Message}", e);
        }
        using (archive) return new Check(archive, key, saved).Run();
    }

    private static ECDsa ReadKey(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ArgumentException($"the public key is not an ECDSA public key in PEM (-----BEGIN PUBLIC KEY-----): {e.Message}", e);
        }
    }

    private static SignedHead ReadSavedHead(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SignedHead>(json, AuditBundle.Json)
                ?? throw new ArgumentException("the saved head is empty (null)");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"the saved head is not the JSON of a head (as GET /api/ledger/heads gives it): {e.Message}", e);
        }
    }

    private static bool IsHash(string? hex) => hex is { Length: 64 } && hex.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static string Short(string? hex) => hex is null ? "(none)" : hex.Length > 16 ? hex[..16] + "…" : hex;

    /// <summary>One audit's state: the problems found so far, the leaves, the roots of the prefixes asked for.</summary>
    private sealed partial class Check(ZipArchive archive, ECDsa key, SignedHead? saved)
    {
        private readonly List<AuditProblem> _problems = [];
        private long _problemCount;
        private readonly LeafStore _leaves = new();
        private readonly Dictionary<long, byte[]> _prefixRoots = [];
        private int _headsChecked, _proofsChecked;

        private void Problem(AuditProblem problem)
        {
            _problemCount++;
            if (_problems.Count < MaxProblems) _problems.Add(problem);
        }

        public AuditReport Run()
        {
            if (ManifestFormat() == CaseBundle.Format) return RunCase();
            var manifest = ReadManifest();
            if (manifest is null) return Report(null, 0, 0, -1);
            var county = manifest.County;
            var head = manifest.Head;
            var headOk = CheckHead(head, county, AuditBundle.ManifestFile, "the bundle's head");
            var size = headOk.Parsed ? head.TreeSize : -1;

            var heads = ReadHeads(county, head);
            var proofs = ReadProofs();
            CheckPublicKeyFile();

            ReadLeaves(size);
            var (first, last) = CheckRange(manifest, size);
            ComputePrefixRoots([.. heads.Select(h => h.TreeSize), .. proofs.Select(p => p.FromSize), saved?.TreeSize ?? 0]);
            if (headOk.Parsed) CheckRoot(head);
            // The bundle's own head in heads.json is the root check's (a different one there is "head-missing").
            foreach (var h in heads.Where(h => !headOk.Parsed || h.TreeSize != head.TreeSize || h.MerkleRoot != head.MerkleRoot))
                CheckPrefix(h, AuditBundle.HeadsFile, "this head");
            if (headOk.Parsed) CheckProofs(heads, proofs, head);
            if (saved is not null) CheckSavedHead(saved, county, headOk.Parsed ? head : null, proofs);
            var events = CheckEvents(county, first, last);
            return Report(manifest, events, manifest.FirstLeaf, manifest.LastLeaf);
        }

        private AuditReport Report(BundleManifest? manifest, long events, long first, long last) => new(
            manifest?.County, manifest?.Head, manifest?.From, manifest?.To, events, first, last, _leaves.Count, _headsChecked, _proofsChecked,
            saved, _problemCount, _problems);

        private ZipArchiveEntry? Entry(string name, bool required = true)
        {
            var entry = archive.GetEntry(name);
            if (entry is null && required) Problem(new AuditProblem("missing-file", name, $"the bundle has no {name}"));
            return entry;
        }

        private T? ReadJson<T>(string file) where T : class
        {
            if (Entry(file) is not { } entry) return null;
            try
            {
                using var stream = entry.Open();
                var value = JsonSerializer.Deserialize<T>(stream, AuditBundle.Json);
                if (value is null) Problem(new AuditProblem("malformed", file, $"{file} is empty (null)"));
                return value;
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
            {
                Problem(new AuditProblem("malformed", file, $"{file} cannot be read: {e.Message}"));
                return null;
            }
        }

        private BundleManifest? ReadManifest()
        {
            var manifest = ReadJson<BundleManifest>(AuditBundle.ManifestFile);
            if (manifest is null) return null;
            if (manifest.Format != AuditBundle.Format)
                Problem(new AuditProblem("format", AuditBundle.ManifestFile,
                    $"the format is '{manifest.Format}', not {AuditBundle.Format}: this auditor does not know how to read it"));
            if (!Counties.IsValidCode(manifest.County))
                Problem(new AuditProblem("county", AuditBundle.ManifestFile, $"the county '{manifest.County}' is not a 6-digit statistics code"));
            if (manifest.Head is null)
            {
                Problem(new AuditProblem("malformed", AuditBundle.ManifestFile, "the manifest names no head: nothing can be proved"));
                return null;
            }
            return manifest;
        }

        /// <summary>A head's county, text and signature (by the reviewer's key); Parsed when its fields could be read at all.</summary>
        private (bool Parsed, bool Trusted) CheckHead(SignedHead head, string county, string file, string what)
        {
            var size = head.TreeSize;
            if (head.County is null || head.ChainHead is null || head.Time is null || !IsHash(head.MerkleRoot?.Trim().ToLowerInvariant()))
            {
                Problem(new AuditProblem("malformed", file, $"{what} lacks its county, root (64 hex), chain head or time", HeadSize: size));
                return (false, false);
            }
            TreeHead parsed;
            try
            {
                parsed = head.Head();
            }
            catch (FormatException)
            {
                Problem(new AuditProblem("malformed", file, $"{what} has a time that is not a time: '{head.Time}'", HeadSize: size));
                return (false, false);
            }
            var trusted = true;
            if (head.County != county)
            {
                Problem(new AuditProblem("county", file, $"{what} is for county {head.County}, the bundle for {county}", HeadSize: size));
                trusted = false;
            }
            if (head.SignedText != parsed.CanonicalText)
            {
                Problem(new AuditProblem("signed-text", file,
                    $"{what}'s signedText is not the text its fields make (county, size, root, chain head, last sequence, time): one of them was changed",
                    HeadSize: size));
                trusted = false;
            }
            if (head.Signature is null)
            {
                Problem(new AuditProblem("unsigned", file, $"{what} is not signed: it proves nothing", HeadSize: size));
                return (true, false);
            }
            byte[] signature;
            try
            {
                signature = Convert.FromBase64String(head.Signature);
            }
            catch (FormatException)
            {
                Problem(new AuditProblem("signature", file, $"{what}'s signature is not base64", HeadSize: size));
                return (true, false);
            }
            if (!TreeHeadSignature.Verify(parsed, signature, key))
            {
                Problem(new AuditProblem("signature", file,
                    $"{what}'s signature does not verify with your public key: signed by another key, or its fields were changed", HeadSize: size));
                trusted = false;
            }
            return (true, trusted);
        }

        /// <summary>heads.json: the county's heads, oldest first, the last one the bundle's head; the well-formed ones are returned.</summary>
        private List<SignedHead> ReadHeads(string county, SignedHead bundleHead)
        {
            var heads = ReadJson<List<SignedHead?>>(AuditBundle.HeadsFile);
            var good = new List<SignedHead>();
            if (heads is null) return good;
            long previous = -1;
            for (var i = 0; i < heads.Count; i++)
            {
                if (heads[i] is not { } head)
                {
                    Problem(new AuditProblem("malformed", AuditBundle.HeadsFile, $"head number {i + 1} is null"));
                    continue;
                }
                _headsChecked++;
                if (!CheckHead(head, county, AuditBundle.HeadsFile, $"head number {i + 1}").Parsed) continue;
                if (head.TreeSize <= previous)
                    Problem(new AuditProblem("order", AuditBundle.HeadsFile,
                        $"head number {i + 1} (size {head.TreeSize}) follows a head of size {previous}: heads must be oldest first, one per size",
                        HeadSize: head.TreeSize));
                previous = Math.Max(previous, head.TreeSize);
                if (head.TreeSize > bundleHead.TreeSize)
                    Problem(new AuditProblem("head-after", AuditBundle.HeadsFile,
                        $"a head of size {head.TreeSize} is bigger than the bundle's head ({bundleHead.TreeSize}): the bundle does not give the newest head",
                        HeadSize: head.TreeSize));
                good.Add(head);
            }
            var last = good.Count > 0 ? good[^1] : null;
            if (last is null || last.TreeSize != bundleHead.TreeSize || last.SignedText != bundleHead.SignedText || last.Signature != bundleHead.Signature)
                Problem(new AuditProblem("head-missing", AuditBundle.HeadsFile,
                    $"the last head is not the bundle's head (size {bundleHead.TreeSize}, root {Short(bundleHead.MerkleRoot)})", HeadSize: bundleHead.TreeSize));
            return good;
        }

        private List<ConsistencyAnswer> ReadProofs()
        {
            var proofs = ReadJson<List<ConsistencyAnswer?>>(AuditBundle.ConsistencyFile);
            var good = new List<ConsistencyAnswer>();
            if (proofs is null) return good;
            for (var i = 0; i < proofs.Count; i++)
            {
                if (proofs[i] is not { } proof || proof.Proof is null || proof.FromRoot is null || proof.ToRoot is null)
                    Problem(new AuditProblem("malformed", AuditBundle.ConsistencyFile, $"proof number {i + 1} lacks its roots or path"));
                else good.Add(proof);
            }
            return good;
        }

        /// <summary>The bundle's own copy of the key is not trusted; a different one says someone tried to substitute it.</summary>
        private void CheckPublicKeyFile()
        {
            if (Entry(AuditBundle.PublicKeyFile) is not { } entry) return;
            string pem;
            using (var reader = new StreamReader(entry.Open(), Encoding.UTF8)) pem = reader.ReadToEnd();
            using var theirs = ECDsa.Create();
            try
            {
                theirs.ImportFromPem(pem);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                Problem(new AuditProblem("key", AuditBundle.PublicKeyFile, "public-key.pem is not a PEM public key"));
                return;
            }
            if (!theirs.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
                Problem(new AuditProblem("key", AuditBundle.PublicKeyFile,
                    $"the bundle says it is signed with key {TreeHeadSignature.KeyId(theirs)}, not with yours ({TreeHeadSignature.KeyId(key)})"));
        }

        /// <summary>
        /// The manifest's leaf range lies in the head's tree (empty when FirstLeaf &gt; LastLeaf); the whole log when no
        /// period is given. Answers the range cut to the tree (or to leaves.txt when the head cannot be read).
        /// </summary>
        private (long First, long Last) CheckRange(BundleManifest manifest, long size)
        {
            var (first, last) = (manifest.FirstLeaf, manifest.LastLeaf);
            if (first > last) return (0, -1);
            if (first < 0 || (size >= 0 && last >= size))
                Problem(new AuditProblem("range", AuditBundle.ManifestFile,
                    $"the leaves {first}–{last} are not all in the head's tree of {size} leaves"));
            else if (manifest.From is null && manifest.To is null && size >= 0 && (first != 0 || last != size - 1))
                Problem(new AuditProblem("range", AuditBundle.ManifestFile,
                    $"the bundle is for the whole log but gives the leaves {first}–{last} of {size}: events are left out"));
            return (Math.Max(first, 0), Math.Min(last, (size >= 0 ? size : _leaves.Count) - 1));
        }

        private void ReadLeaves(long size)
        {
            if (Entry(AuditBundle.LeavesFile) is not { } entry) return;
            using var reader = new StreamReader(entry.Open(), Encoding.ASCII);
            long line = 0;
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (IsHash(text)) _leaves.Add(Convert.FromHexString(text));
                else
                {
                    Problem(new AuditProblem("malformed", AuditBundle.LeavesFile, "not a leaf hash (64 lowercase hex)", line, line - 1));
                    _leaves.Add(new byte[32]);
                }
            }
            if (size >= 0 && _leaves.Count != size)
                Problem(new AuditProblem("leaf-count", AuditBundle.LeavesFile,
                    $"{_leaves.Count} leaves, the head says {size}: leaves were {(_leaves.Count < size ? "removed" : "added")}", HeadSize: size));
        }

        /// <summary>The root of the first n leaves for every size asked for, in one pass over the leaves.</summary>
        private void ComputePrefixRoots(IEnumerable<long> sizes)
        {
            var wanted = sizes.Where(s => s >= 0 && s <= _leaves.Count).ToHashSet();
            var builder = new MerkleTree.Builder();
            if (wanted.Contains(0)) _prefixRoots[0] = builder.Root();
            for (long i = 0; i < _leaves.Count; i++)
            {
                builder.Add(_leaves[i]);
                if (wanted.Contains(builder.Count)) _prefixRoots[builder.Count] = builder.Root();
            }
            _prefixRoots[_leaves.Count] = builder.Root();
        }

        private byte[]? PrefixRoot(long size) => _prefixRoots.GetValueOrDefault(size);

        private void CheckRoot(SignedHead head)
        {
            var root = PrefixRoot(_leaves.Count)!;
            if (_leaves.Count == head.TreeSize && LedgerHashing.Hex(root) != head.MerkleRoot.Trim().ToLowerInvariant())
                Problem(new AuditProblem("root", AuditBundle.LeavesFile,
                    $"the root of leaves.txt is {LedgerHashing.Hex(root)}, the head says {head.MerkleRoot}: a leaf was changed",
                    HeadSize: head.TreeSize));
        }

        /// <summary>An earlier head's root must be the root of the first N leaves of the bundle's tree.</summary>
        private void CheckPrefix(SignedHead head, string file, string what)
        {
            if (PrefixRoot(head.TreeSize) is not { } root)
            {
                Problem(new AuditProblem("prefix-root", file,
                    $"{what} has {head.TreeSize} leaves, leaves.txt only {_leaves.Count}: the log is shorter than the head", HeadSize: head.TreeSize));
                return;
            }
            if (LedgerHashing.Hex(root) != head.MerkleRoot.Trim().ToLowerInvariant())
                Problem(new AuditProblem("prefix-root", file,
                    $"{what}'s root {head.MerkleRoot} is not the root of the first {head.TreeSize} leaves ({LedgerHashing.Hex(root)}): " +
                    "the log was rewritten since that head", HeadSize: head.TreeSize));
        }

        private static byte[]? Bytes(string? hex) => IsHash(hex?.Trim().ToLowerInvariant()) ? Convert.FromHexString(hex!.Trim()) : null;

        private void CheckProofs(List<SignedHead> heads, List<ConsistencyAnswer> proofs, SignedHead head)
        {
            var headRoot = Bytes(head.MerkleRoot)!;
            foreach (var proof in proofs)
            {
                _proofsChecked++;
                var where = new AuditProblem("consistency", AuditBundle.ConsistencyFile, "", HeadSize: proof.FromSize);
                if (proof.ToSize != head.TreeSize || Bytes(proof.ToRoot) is not { } toRoot || !toRoot.AsSpan().SequenceEqual(headRoot))
                {
                    Problem(where with { Detail = $"the proof from size {proof.FromSize} leads to size {proof.ToSize}, root {Short(proof.ToRoot)}, not to the bundle's head" });
                    continue;
                }
                var fromHead = heads.FirstOrDefault(h => h.TreeSize == proof.FromSize);
                var fromRoot = Bytes(fromHead?.MerkleRoot ?? proof.FromRoot);
                if (fromRoot is null || (fromHead is not null && Bytes(proof.FromRoot) is { } claimed && !claimed.AsSpan().SequenceEqual(fromRoot)))
                {
                    Problem(where with { Detail = $"the proof starts from root {Short(proof.FromRoot)}, the head of size {proof.FromSize} has {Short(fromHead?.MerkleRoot)}" });
                    continue;
                }
                byte[][] path;
                try
                {
                    path = proof.Proof.Select(p => Bytes(p) ?? throw new FormatException()).ToArray();
                }
                catch (FormatException)
                {
                    Problem(where with { Detail = "the proof's path has an element that is not a 64-hex hash" });
                    continue;
                }
                if (proof.FromSize == 0 ? path.Length != 0 : !MerkleTree.VerifyConsistency(proof.FromSize, proof.ToSize, fromRoot, headRoot, path))
                    Problem(where with { Detail = $"the consistency proof from size {proof.FromSize} to {proof.ToSize} does not verify: the head of size {proof.FromSize} is not a prefix of the bundle's head" });
            }
            foreach (var earlier in heads.Where(h => h.TreeSize > 0 && h.TreeSize < head.TreeSize && proofs.All(p => p.FromSize != h.TreeSize)))
                Problem(new AuditProblem("consistency", AuditBundle.ConsistencyFile,
                    $"no consistency proof from the head of size {earlier.TreeSize} to the bundle's head", HeadSize: earlier.TreeSize));
        }

        private void CheckSavedHead(SignedHead head, string county, SignedHead? bundleHead, List<ConsistencyAnswer> proofs)
        {
            if (!CheckHead(head, county, SavedHeadFile, "your saved head").Parsed || bundleHead is null) return;
            if (head.TreeSize > bundleHead.TreeSize)
            {
                Problem(new AuditProblem("truncated", SavedHeadFile,
                    $"your saved head has {head.TreeSize} leaves, the bundle's head only {bundleHead.TreeSize}: the log was truncated " +
                    "(or the bundle was made before your head)", HeadSize: head.TreeSize));
                return;
            }
            CheckPrefix(head, SavedHeadFile, "your saved head");
            var savedRoot = Bytes(head.MerkleRoot)!;
            foreach (var proof in proofs.Where(p => p.FromSize == head.TreeSize && p.FromSize > 0 && p.ToSize == bundleHead.TreeSize))
            {
                var path = proof.Proof.Select(Bytes).ToArray();
                if (path.Any(p => p is null)
                    || !MerkleTree.VerifyConsistency(head.TreeSize, bundleHead.TreeSize, savedRoot, Bytes(bundleHead.MerkleRoot)!, path!))
                    Problem(new AuditProblem("consistency", SavedHeadFile,
                        $"the bundle's consistency proof from size {head.TreeSize} does not take your saved head to the bundle's head",
                        HeadSize: head.TreeSize));
            }
        }

        /// <summary>One line of events.ndjson read (shared by both kinds of bundle), or null (a problem) when it is not an event line.</summary>
        private BundledEvent? ReadLine(string file, string text, long line)
        {
            BundledEvent? bundled;
            try
            {
                bundled = JsonSerializer.Deserialize<BundledEvent>(text, AuditBundle.Json);
            }
            catch (JsonException e)
            {
                Problem(new AuditProblem("malformed", file, $"not an event line: {e.Message}", line));
                return null;
            }
            if (bundled?.Event is not { } hashed || hashed.Format is null || hashed.ContentHash is null)
            {
                Problem(new AuditProblem("malformed", file, "the line has no event, format or content hash", line));
                return null;
            }
            return bundled;
        }

        /// <summary>
        /// The event's content hash recomputed from its fields and compared with the one the line gives (a problem
        /// when they differ); answers the RFC 6962 leaf hash of the content hash given, or null when the format is unknown.
        /// </summary>
        private byte[]? LeafHash(HashedEvent hashed, AuditProblem at)
        {
            string recomputed;
            try
            {
                recomputed = LedgerHashing.ContentHash(hashed);
            }
            catch (ArgumentException)
            {
                Problem(at with { Kind = "format", Detail = $"the event's format '{hashed.Format}' is neither {LedgerHashing.Format} nor {LedgerHashing.LegacyFormat}" });
                return null;
            }
            if (recomputed != hashed.ContentHash)
                Problem(at with { Kind = "content-hash", Detail = $"the event's fields hash to {recomputed}, the line says {hashed.ContentHash}: the event was changed" });
            return MerkleTree.Leaf(Convert.FromHexString(IsHash(hashed.ContentHash) ? hashed.ContentHash : recomputed));
        }

        /// <summary>The event is the bundle's county's, and not archived.</summary>
        private void CheckCountyAndFlag(HashedEvent hashed, string county, AuditProblem at)
        {
            if (hashed.TenantId != county)
                Problem(at with { Kind = "county", Detail = $"the event is of county {hashed.TenantId}, the bundle of {county}" });
            if (hashed.Archived)
                Problem(at with { Kind = "archived", Detail = "the event is archived: the ledger never archives, and an archived event is hidden from every read" });
        }

        /// <summary>events.ndjson, line by line: each event's hash, leaf, county and flag; the leaves FirstLeaf..LastLeaf once each, in order.</summary>
        private long CheckEvents(string county, long first, long last)
        {
            const string file = AuditBundle.EventsFile;
            if (Entry(file) is not { } entry) return 0;
            // The line of each leaf of the range that leaves.txt has (leaves past its end are the leaf count's problem).
            var firstLine = new int[Math.Max(0, Math.Min(last, _leaves.Count - 1) - first + 1)];
            long checkedEvents = 0, previous = first - 1;
            var line = 0;
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (ReadLine(file, text, line) is not { } bundled) continue;
                var hashed = bundled.Event;
                checkedEvents++;
                var leaf = bundled.LeafIndex;
                var at = new AuditProblem("", file, "", line, leaf, hashed.Sequence);

                if (leaf < first || leaf > last)
                    Problem(at with { Kind = "extra", Detail = $"leaf {leaf} is not among the bundle's leaves {first}–{last}" +
                        (leaf < 0 || leaf >= _leaves.Count ? $" nor in the head's tree of {_leaves.Count}" : "") + ": an event that does not belong here" });
                else if (leaf - first < firstLine.Length && firstLine[leaf - first] != 0)
                    Problem(at with { Kind = "duplicate", Detail = $"leaf {leaf} was given already on line {firstLine[leaf - first]}" });
                else
                {
                    if (leaf - first < firstLine.Length) firstLine[leaf - first] = line;
                    if (leaf < previous)
                        Problem(at with { Kind = "order", Detail = $"leaf {leaf} comes after leaf {previous}: the lines are out of leaf order" });
                    previous = Math.Max(previous, leaf);
                }

                if (LeafHash(hashed, at) is not { } leafHash) continue;
                if (leaf >= 0 && leaf < _leaves.Count && !_leaves.Is(leaf, leafHash))
                    Problem(at with { Kind = "leaf", Detail = $"the event's leaf hash {LedgerHashing.Hex(leafHash)} is not leaf {leaf} of leaves.txt ({LedgerHashing.Hex(_leaves[leaf])}): this is not the event the head covers" });
                CheckCountyAndFlag(hashed, county, at);
            }
            // Leaves of the range with no line, as runs.
            for (long i = 0; i < firstLine.Length; i++)
            {
                if (firstLine[i] != 0) continue;
                var start = i;
                while (i + 1 < firstLine.Length && firstLine[i + 1] == 0) i++;
                Problem(new AuditProblem("missing", file,
                    start == i ? $"leaf {first + start} has no line: an event was left out" : $"leaves {first + start}–{first + i} have no line: {i - start + 1} events were left out",
                    LeafIndex: first + start));
            }
            return checkedEvents;
        }
    }

    /// <summary>Leaf hashes, 32 bytes each, in chunks (no object per leaf).</summary>
    private sealed class LeafStore
    {
        private const int PerChunk = 1 << 15;
        private readonly List<byte[]> _chunks = [];

        public long Count { get; private set; }

        public void Add(ReadOnlySpan<byte> leaf)
        {
            if (Count % PerChunk == 0) _chunks.Add(new byte[PerChunk * 32]);
            leaf.CopyTo(_chunks[^1].AsSpan((int)(Count % PerChunk) * 32, 32));
            Count++;
        }

        private ReadOnlySpan<byte> Span(long i) => _chunks[(int)(i / PerChunk)].AsSpan((int)(i % PerChunk) * 32, 32);

        public byte[] this[long i] => Span(i).ToArray();

        public bool Is(long i, ReadOnlySpan<byte> leaf) => Span(i).SequenceEqual(leaf);
    }
}
