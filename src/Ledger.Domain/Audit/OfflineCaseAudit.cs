using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Common;

namespace Ledger.Domain.Audit;

/// <summary>
/// The offline auditor's reading of a case file (<see cref="CaseBundle"/>), with the same pieces as the audit bundle's:
/// the head's signature by the reviewer's key, each event line's content hash and leaf, then — instead of a whole tree —
/// each event's inclusion proof against the head's root; the events must be of the case, its versions without a gap;
/// every file an event cites must be in the bundle with that SHA-256 and size, and no other file may be.
/// </summary>
public static partial class OfflineAudit
{
    private sealed partial class Check
    {
        /// <summary>The <c>format</c> bundle.json names, or null when it cannot be read (the audit bundle's reading then says why).</summary>
        private string? ManifestFormat()
        {
            if (archive.GetEntry(AuditBundle.ManifestFile) is not { } entry) return null;
            try
            {
                using var stream = entry.Open();
                using var document = JsonDocument.Parse(stream);
                return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("format", out var format)
                    && format.ValueKind == JsonValueKind.String ? format.GetString() : null;
            }
            catch (Exception e) when (e is JsonException or InvalidDataException)
            {
                return null;
            }
        }

        private AuditReport RunCase()
        {
            var manifest = ReadJson<CaseBundleManifest>(CaseBundle.ManifestFile);
            if (manifest is null) return CaseReport(null, 0, 0, -1, 0);
            if (!Counties.IsValidCode(manifest.County))
                Problem(new AuditProblem("county", CaseBundle.ManifestFile, $"the county '{manifest.County}' is not a 6-digit statistics code"));
            if (manifest.Head is null)
            {
                Problem(new AuditProblem("malformed", CaseBundle.ManifestFile, "the manifest names no head: nothing can be proved"));
                return CaseReport(manifest, 0, 0, -1, 0);
            }
            var head = manifest.Head;
            var headOk = CheckHead(head, manifest.County, CaseBundle.ManifestFile, "the bundle's head");
            CheckPublicKeyFile();
            if (saved is not null && CheckHead(saved, manifest.County, SavedHeadFile, "your saved head").Parsed && headOk.Parsed
                && saved.TreeSize == head.TreeSize && !string.Equals(saved.MerkleRoot.Trim(), head.MerkleRoot.Trim(), StringComparison.OrdinalIgnoreCase))
                Problem(new AuditProblem("prefix-root", SavedHeadFile,
                    $"your saved head of size {saved.TreeSize} has root {saved.MerkleRoot}, the bundle's head {head.MerkleRoot}: the log was rewritten",
                    HeadSize: saved.TreeSize));
            var cited = new Dictionary<string, (long Size, long Line)>();
            var (events, first, last) = CheckCaseEvents(manifest, headOk.Parsed ? head : null, cited);
            var files = CheckFiles(cited);
            return CaseReport(manifest, events, first, last, files);
        }

        private AuditReport CaseReport(CaseBundleManifest? manifest, long events, long first, long last, int files) => new(
            manifest?.County, manifest?.Head, null, null, events, first, last, 0, 0, _proofsChecked, saved, _problemCount, _problems)
        {
            CaseId = manifest?.CaseId,
            FilesChecked = files,
        };

        /// <summary>
        /// events.ndjson of a case file, line by line: hash, leaf and inclusion proof against the head, county, flag, the
        /// case's stream, one line per leaf in leaf order, versions 1..N without a gap; collects the files the events cite.
        /// </summary>
        private (long Events, long First, long Last) CheckCaseEvents(CaseBundleManifest manifest, SignedHead? head,
            Dictionary<string, (long Size, long Line)> cited)
        {
            const string file = CaseBundle.EventsFile;
            if (Entry(file) is not { } entry) return (0, 0, -1);
            var root = head is null ? null : Bytes(head.MerkleRoot);
            var lineOfLeaf = new Dictionary<long, long>();
            var versions = new SortedSet<long>();
            long checkedEvents = 0, previous = -1, first = long.MaxValue, last = -1, line = 0;
            var caseStream = manifest.CaseId.ToString();
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (ReadLine(file, text, line) is not { } bundled) continue;
                var hashed = bundled.Event;
                checkedEvents++;
                var leaf = bundled.LeafIndex;
                var at = new AuditProblem("", file, "", line, leaf, hashed.Sequence);
                (first, last) = (Math.Min(first, leaf), Math.Max(last, leaf));

                if (!string.Equals(hashed.StreamId, caseStream, StringComparison.OrdinalIgnoreCase))
                    Problem(at with { Kind = "extra", Detail = $"the event is of stream {hashed.StreamId}, the bundle of case {caseStream}: an event that does not belong here" });
                else versions.Add(hashed.Version);
                if (lineOfLeaf.TryGetValue(leaf, out var earlier))
                    Problem(at with { Kind = "duplicate", Detail = $"leaf {leaf} was given already on line {earlier}" });
                else
                {
                    lineOfLeaf[leaf] = line;
                    if (leaf < previous) Problem(at with { Kind = "order", Detail = $"leaf {leaf} comes after leaf {previous}: the lines are out of leaf order" });
                    previous = Math.Max(previous, leaf);
                }
                foreach (var citedFile in CaseBundle.Cited(hashed.Data)) cited.TryAdd(citedFile.Sha256, (citedFile.Size, line));

                if (LeafHash(hashed, at) is not { } leafHash) continue;
                CheckCountyAndFlag(hashed, manifest.County, at);
                if (head is null || root is null) continue;
                _proofsChecked++;
                CheckInclusion(bundled, leafHash, head, root, at);
            }
            // The case's versions run 1..N: a version with no line is an event left out.
            long expected = 1;
            foreach (var version in versions)
            {
                if (version > expected)
                    Problem(new AuditProblem("missing", file, version - 1 == expected
                        ? $"version {expected} of the case has no line: an event was left out"
                        : $"versions {expected}–{version - 1} of the case have no line: {version - expected} events were left out"));
                expected = version + 1;
            }
            return (checkedEvents, first == long.MaxValue ? 0 : first, last);
        }

        /// <summary>The event's leaf and audit path lead to the head's root (RFC 9162 §2.1.3.2).</summary>
        private void CheckInclusion(BundledEvent bundled, byte[] leafHash, SignedHead head, byte[] root, AuditProblem at)
        {
            var leaf = bundled.LeafIndex;
            if (leaf < 0 || leaf >= head.TreeSize)
            {
                Problem(at with { Kind = "inclusion", Detail = $"leaf {leaf} is not in the head's tree of {head.TreeSize} leaves" });
                return;
            }
            if (bundled.AuditPath is not { } given || given.Any(p => Bytes(p) is null))
            {
                Problem(at with { Kind = "inclusion", Detail = "the line has no audit path, or one with an element that is not a 64-hex hash" });
                return;
            }
            byte[] computed;
            try
            {
                computed = MerkleTree.RootFromPath(leafHash, leaf, head.TreeSize, given.Select(p => Bytes(p)!).ToList());
            }
            catch (ArgumentException e)
            {
                Problem(at with { Kind = "inclusion", Detail = $"the audit path does not fit a tree of {head.TreeSize} leaves: {e.Message}" });
                return;
            }
            if (!computed.AsSpan().SequenceEqual(root))
                Problem(at with { Kind = "inclusion", Detail = $"the event's leaf and audit path lead to root {LedgerHashing.Hex(computed)}, " +
                    $"the signed head's is {head.MerkleRoot}: the event, its leaf index or its path was changed" });
        }

        /// <summary>Every cited file is in files/ with the SHA-256 and size the events give; files/ holds nothing else.</summary>
        private int CheckFiles(Dictionary<string, (long Size, long Line)> cited)
        {
            var filesChecked = 0;
            foreach (var (sha, (size, line)) in cited)
            {
                var name = CaseBundle.FileEntry(sha);
                if (archive.GetEntry(name) is not { } entry)
                {
                    Problem(new AuditProblem("missing-file", name, $"the file {sha} that {CaseBundle.EventsFile} line {line} cites is not in the bundle"));
                    continue;
                }
                filesChecked++;
                string actual;
                long length = 0;
                try
                {
                    using var stream = entry.Open();
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    var buffer = new byte[81920];
                    int n;
                    while ((n = stream.Read(buffer)) > 0)
                    {
                        hash.AppendData(buffer.AsSpan(0, n));
                        length += n;
                    }
                    actual = LedgerHashing.Hex(hash.GetHashAndReset());
                }
                catch (InvalidDataException e)
                {
                    Problem(new AuditProblem("file-hash", name, $"the file cannot be read from the zip: {e.Message}"));
                    continue;
                }
                if (actual != sha)
                    Problem(new AuditProblem("file-hash", name,
                        $"the file's bytes hash to {actual}, {CaseBundle.EventsFile} line {line} cites {sha}: the file was changed"));
                else if (length != size)
                    Problem(new AuditProblem("file-size", name, $"the file has {length} bytes, {CaseBundle.EventsFile} line {line} says {size}"));
            }
            foreach (var entry in archive.Entries.Where(e => e.FullName.StartsWith(CaseBundle.FilesFolder, StringComparison.Ordinal)
                         && e.FullName.Length > CaseBundle.FilesFolder.Length && !cited.ContainsKey(e.FullName[CaseBundle.FilesFolder.Length..])))
                Problem(new AuditProblem("extra-file", entry.FullName, "no event of the case cites this file"));
            return filesChecked;
        }
    }
}
