using System.Security.Cryptography;
using System.Text.Json;
using Ledger.Domain.Audit;

namespace Ledger.Domain.Tests.Audit;

/// <summary>
/// <c>ledger audit</c>'s checker against real bundles (<see cref="TestBundle"/>): untouched, it is intact; each attack
/// is reported and located (file, line, leaf, sequence or head size).
/// </summary>
public sealed class OfflineAuditTests
{
    private static AuditProblem Single(AuditReport report, string kind)
    {
        Assert.False(report.Intact);
        var problems = report.Problems.Where(p => p.Kind == kind).ToList();
        Assert.True(problems.Count == 1, $"one {kind} problem expected, got: {Describe(report)}");
        return problems[0];
    }

    private static string Describe(AuditReport report) => string.Join("; ", report.Problems.Select(p => $"[{p.Kind}] {p.Where}: {p.Detail}"));

    private static void Kinds(AuditReport report, params string[] kinds) =>
        Assert.True(kinds.Order().SequenceEqual(report.Problems.Select(p => p.Kind).Order()),
            $"expected [{string.Join(", ", kinds)}], got: {Describe(report)}");

    [Fact]
    public void An_untouched_bundle_of_the_whole_log_is_intact_and_says_what_it_checked()
    {
        var bundle = TestBundle.Make(events: 20, headSizes: [1, 5, 8, 12]);
        var report = bundle.Audit(saved: bundle.Heads[2]);
        Assert.True(report.Intact, Describe(report));
        Assert.Equal(TestBundle.County, report.County);
        Assert.Equal(20, report.Head!.TreeSize);
        Assert.Equal((20L, 0L, 19L, 20L), (report.EventsChecked, report.FirstLeaf, report.LastLeaf, report.LeavesRead));
        Assert.Equal(4, report.ProofsChecked);
        Assert.Equal(5, report.HeadsChecked);
        Assert.Equal(8, report.SavedHead!.TreeSize);
    }

    [Fact]
    public void An_untouched_bundle_of_a_period_is_intact_and_so_is_one_with_a_saved_head_equal_to_its_own()
    {
        var bundle = TestBundle.Make(events: 33, first: 6, last: 17);
        var report = bundle.Audit(saved: bundle.Head);
        Assert.True(report.Intact, Describe(report));
        Assert.Equal((12L, 6L, 17L, 33L), (report.EventsChecked, report.FirstLeaf, report.LastLeaf, report.LeavesRead));
    }

    [Fact]
    public void A_bundle_of_a_period_with_no_events_is_intact()
    {
        var bundle = TestBundle.Make(events: 7);
        bundle.EventLines.Clear();
        bundle.Manifest = bundle.Manifest with { From = new DateOnly(2030, 1, 1), To = new DateOnly(2030, 1, 31), FirstLeaf = 7, LastLeaf = 6 };
        var report = bundle.Audit();
        Assert.True(report.Intact, Describe(report));
        Assert.Equal(0, report.EventsChecked);
    }

    [Fact]
    public void An_event_whose_data_was_edited_is_located_by_line_leaf_and_sequence()
    {
        var bundle = TestBundle.Make(first: 4, last: 15);
        bundle.EditLine(3, e => e with { Data = e.Data.Replace("资金闲置", "篡改后的描述") });
        var problem = Single(bundle.Audit(), "content-hash");
        Assert.Equal((AuditBundle.EventsFile, 4L, 7L, bundle.Stored[7].Sequence), (problem.File, problem.Line, problem.LeafIndex, problem.Sequence));
        Kinds(bundle.Audit(), "content-hash");

        // Edited with its content hash made to match: the leaf no longer does.
        var again = TestBundle.Make(first: 4, last: 15);
        again.EditLine(3, e => e with { Data = e.Data.Replace("资金闲置", "篡改后的描述") } is var edited
            ? edited with { ContentHash = LedgerHashing.ContentHash(edited) } : e);
        var leaf = Single(again.Audit(), "leaf");
        Assert.Equal((4L, 7L), (leaf.Line, leaf.LeafIndex));
        Assert.Contains("not leaf 7", leaf.Detail);
        Kinds(again.Audit(), "leaf");
    }

    [Fact]
    public void Every_field_of_a_legacy_and_a_current_event_is_covered()
    {
        var bundle = TestBundle.Make();
        Assert.Equal(LedgerHashing.LegacyFormat, bundle.Line(0).Event.Format);
        Assert.Equal(LedgerHashing.Format, bundle.Line(5).Event.Format);
        Func<HashedEvent, HashedEvent>[] edits =
        [
            e => e with { Sequence = e.Sequence + 1 }, e => e with { StreamId = "x" }, e => e with { Version = 9 },
            e => e with { Type = "finding_withdrawn" }, e => e with { Timestamp = "2017-09-01T00:30:00.000001Z" },
            e => e with { UserName = "mallory" }, e => e with { Headers = "{}" }, e => e with { Data = "{}" },
        ];
        Func<HashedEvent, HashedEvent>[] v2Only =
            [e => e with { Id = "x" }, e => e with { CorrelationId = "c" }, e => e with { CausationId = "c" }];
        foreach (var (line, edit) in edits.Select(e => (0, e)).Concat(edits.Concat(v2Only).Select(e => (5, e))))
        {
            var attacked = TestBundle.Make();
            attacked.EditLine(line, edit);
            Assert.Equal(line, Single(attacked.Audit(), "content-hash").LeafIndex);
        }
    }

    [Fact]
    public void A_removed_line_is_a_missing_leaf()
    {
        var bundle = TestBundle.Make();
        bundle.EventLines.RemoveAt(9);
        var problem = Single(bundle.Audit(), "missing");
        Assert.Equal((AuditBundle.EventsFile, 9L), (problem.File, problem.LeafIndex));
        Kinds(bundle.Audit(), "missing");

        bundle.EventLines.RemoveRange(12, 3);
        var run = bundle.Audit().Problems.Where(p => p.Kind == "missing").ToList();
        Assert.Equal([9L, 13L], run.Select(p => p.LeafIndex!.Value));
        Assert.Contains("leaves 13–15", run[1].Detail);
    }

    [Fact]
    public void Two_swapped_lines_are_out_of_order_at_the_second()
    {
        var bundle = TestBundle.Make();
        (bundle.EventLines[6], bundle.EventLines[7]) = (bundle.EventLines[7], bundle.EventLines[6]);
        var problem = Single(bundle.Audit(), "order");
        Assert.Equal((8L, 6L, bundle.Stored[6].Sequence), (problem.Line, problem.LeafIndex, problem.Sequence));
        Kinds(bundle.Audit(), "order");

        // Swapped with their leaf indices too: each event is then compared with the other's leaf.
        var relabelled = TestBundle.Make();
        var (six, seven) = (relabelled.Line(6), relabelled.Line(7));
        relabelled.EventLines[6] = JsonSerializer.Serialize(seven with { LeafIndex = 6 }, AuditBundle.Json);
        relabelled.EventLines[7] = JsonSerializer.Serialize(six with { LeafIndex = 7 }, AuditBundle.Json);
        var report = relabelled.Audit();
        Kinds(report, "leaf", "leaf");
        Assert.Equal([6L, 7L], report.Problems.Select(p => p.LeafIndex!.Value));
    }

    [Fact]
    public void An_extra_line_is_located_whether_repeated_invented_or_outside_the_range()
    {
        var repeated = TestBundle.Make();
        repeated.EventLines.Insert(11, repeated.EventLines[4]);
        var duplicate = Single(repeated.Audit(), "duplicate");
        Assert.Equal((12L, 4L), (duplicate.Line, duplicate.LeafIndex));
        Assert.Contains("line 5", duplicate.Detail);

        var invented = TestBundle.Make(first: 2, last: 10);
        var forged = HashedEvent.Of(TestBundle.Event(30) with { DataJson = """{"Description":"伪造"}""" });
        invented.EventLines.Add(JsonSerializer.Serialize(new BundledEvent(11, forged), AuditBundle.Json));
        var extra = Single(invented.Audit(), "extra");
        Assert.Equal((10L, 11L, forged.Sequence), (extra.Line, extra.LeafIndex, extra.Sequence));
        Kinds(invented.Audit(), "extra", "leaf");

        var beyond = TestBundle.Make();
        beyond.EventLines.Add(JsonSerializer.Serialize(new BundledEvent(20, forged), AuditBundle.Json));
        Assert.Contains("nor in the head's tree", Single(beyond.Audit(), "extra").Detail);
    }

    [Fact]
    public void A_changed_leaf_breaks_the_root_and_is_located_at_its_event()
    {
        var bundle = TestBundle.Make(headSizes: [5, 12]);
        bundle.LeafLines[8] = LedgerHashing.Hex(MerkleTree.Leaf(SHA256.HashData("伪造"u8)));
        var report = bundle.Audit();
        Assert.Equal(20, Single(report, "root").HeadSize);
        var leaf = Single(report, "leaf");
        Assert.Equal((9L, 8L), (leaf.Line, leaf.LeafIndex));
        // The head of size 12 covers leaf 8: its root is no longer the first 12 leaves'; the head of size 5 does not.
        Assert.Equal(12, Single(report, "prefix-root").HeadSize);
        Assert.DoesNotContain(report.Problems, p => p.HeadSize == 5);
    }

    [Fact]
    public void Truncated_leaves_are_counted_and_the_events_past_them_cannot_be_placed()
    {
        var bundle = TestBundle.Make(headSizes: [5, 12]);
        bundle.LeafLines.RemoveRange(15, 5);
        var report = bundle.Audit();
        var count = Single(report, "leaf-count");
        Assert.Equal((AuditBundle.LeavesFile, 20L), (count.File, count.HeadSize));
        Assert.Contains("15 leaves", count.Detail);
        Assert.DoesNotContain(report.Problems, p => p.Kind is "prefix-root" && p.HeadSize != 20);
        Assert.Equal(20, report.EventsChecked);

        // A head that claims a huge tree over a few leaves costs no memory for the leaves it does not have.
        var huge = TestBundle.Make(events: 4);
        huge.ReplaceHead(TestBundle.SignHead(huge.Head.Head() with { TreeSize = 4_000_000_000_000 }, huge.Key));
        huge.Manifest = huge.Manifest with { LastLeaf = 3_999_999_999_999 };
        Assert.Contains("4 leaves, the head says 4000000000000", Single(huge.Audit(), "leaf-count").Detail);

        var malformed = TestBundle.Make();
        malformed.LeafLines[3] = "not a hash";
        var problem = Single(malformed.Audit(), "malformed");
        Assert.Equal((AuditBundle.LeavesFile, 4L, 3L), (problem.File, problem.Line, problem.LeafIndex));
    }

    [Fact]
    public void Heads_signed_by_another_key_do_not_verify_with_the_reviewers_key()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var bundle = TestBundle.Make();
        var resigned = TestBundle.SignHead(bundle.Head.Head(), other);
        bundle.ReplaceHead(resigned);
        bundle.PublicKeyPem = TreeHeadSignature.PublicKeyPem(other);
        var report = bundle.Audit();
        var signatures = report.Problems.Where(p => p.Kind == "signature").ToList();
        Assert.Equal([AuditBundle.ManifestFile, AuditBundle.HeadsFile], signatures.Select(p => p.File));
        Assert.All(signatures, p => Assert.Equal(20, p.HeadSize));
        Assert.Contains("not with yours", Single(report, "key").Detail);
        Kinds(report, "signature", "signature", "key");

        // A whole bundle made and signed by someone else is refused by the reviewer's key, even if self-consistent.
        var forged = TestBundle.Make(key: other);
        Assert.Equal(4, forged.Audit(bundle.ReviewerKeyPem).Problems.Count(p => p.Kind == "signature"));
    }

    [Fact]
    public void A_heads_fields_or_signed_text_changed_without_the_key_are_caught()
    {
        var bundle = TestBundle.Make();
        var forgedRoot = LedgerHashing.Hex(SHA256.HashData("另一棵树"u8));
        bundle.ReplaceHead(bundle.Head with { MerkleRoot = forgedRoot });
        var report = bundle.Audit();
        Assert.Contains(report.Problems, p => p is { Kind: "signed-text", File: AuditBundle.ManifestFile, HeadSize: 20 });
        Assert.Contains(report.Problems, p => p is { Kind: "signature", File: AuditBundle.ManifestFile, HeadSize: 20 });
        Assert.Equal(20, Single(report, "root").HeadSize);

        var text = TestBundle.Make();
        text.ReplaceHead(text.Head with { SignedText = text.Head.SignedText.Replace("\n20\n", "\n21\n") });
        Kinds(text.Audit(), "signed-text", "signed-text");

        var unsigned = TestBundle.Make();
        unsigned.Heads[0] = unsigned.Heads[0] with { Signature = null };
        Assert.Equal((AuditBundle.HeadsFile, 5L), (Single(unsigned.Audit(), "unsigned").File, Single(unsigned.Audit(), "unsigned").HeadSize));
    }

    [Fact]
    public void A_saved_head_of_another_history_of_the_same_size_is_caught()
    {
        var bundle = TestBundle.Make(headSizes: [5, 12]);
        // The same key, another history: event 3 was different when the reviewer saved the head of size 12.
        var other = TestBundle.Make(headSizes: [5, 12], key: bundle.Key,
            edit: (i, e) => i == 3 ? e with { DataJson = """{"Description":"原来的描述"}""" } : e);
        var saved = other.Heads.Single(h => h.TreeSize == 12);
        var report = bundle.Audit(saved: saved);
        var prefix = Single(report, "prefix-root");
        Assert.Equal((OfflineAudit.SavedHeadFile, 12L), (prefix.File, prefix.HeadSize));
        Assert.Contains("rewritten", prefix.Detail);
        Assert.Equal(12, Single(report, "consistency").HeadSize);
        Kinds(report, "prefix-root", "consistency");

        // And a saved head of another history at a size the bundle has no head for.
        var eight = TestBundle.Make(headSizes: [8], key: bundle.Key, edit: (i, e) => i == 3 ? e with { UserName = "李四" } : e);
        Kinds(bundle.Audit(saved: eight.Heads[0]), "prefix-root");
        Assert.True(bundle.Audit(saved: TestBundle.Make(headSizes: [8], key: bundle.Key).Heads[0]).Intact);
    }

    [Fact]
    public void A_saved_head_larger_than_the_bundles_head_means_the_log_was_truncated()
    {
        var later = TestBundle.Make(events: 25);
        var truncated = TestBundle.Make(events: 20, key: later.Key);
        var problem = Single(truncated.Audit(saved: later.Head), "truncated");
        Assert.Equal((OfflineAudit.SavedHeadFile, 25L), (problem.File, problem.HeadSize));
        Assert.Contains("truncated", problem.Detail);
        Kinds(truncated.Audit(saved: later.Head), "truncated");
    }

    [Fact]
    public void A_saved_head_not_signed_by_the_reviewers_key_or_of_another_county_is_reported()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var bundle = TestBundle.Make();
        var forged = TestBundle.SignHead(bundle.Heads[0].Head(), other);
        Assert.Equal(OfflineAudit.SavedHeadFile, Single(bundle.Audit(saved: forged), "signature").File);

        var elsewhere = TestBundle.SignHead(bundle.Heads[0].Head() with { County = TestBundle.OtherCounty }, bundle.Key);
        Assert.Equal(OfflineAudit.SavedHeadFile, Single(bundle.Audit(saved: elsewhere), "county").File);
    }

    [Fact]
    public void An_archived_event_is_reported_even_when_its_hash_was_made_to_match()
    {
        var bundle = TestBundle.Make();
        bundle.EditLine(10, e => e with { Archived = true });
        var report = bundle.Audit();
        Assert.Equal((11L, 10L), (Single(report, "archived").Line, Single(report, "archived").LeafIndex));
        Kinds(report, "archived", "content-hash");

        // Archived in the ledger before it was chained: the hash holds, the flag does not.
        var chainedArchived = TestBundle.Make(edit: (i, e) => i == 10 ? e with { IsArchived = true } : e);
        Kinds(chainedArchived.Audit(), "archived");
        // A v1 entry does not hash the flag: an archived one is still reported.
        var legacy = TestBundle.Make();
        legacy.EditLine(1, e => e with { Archived = true });
        Kinds(legacy.Audit(), "archived");
    }

    [Fact]
    public void Another_countys_event_or_heads_are_reported()
    {
        var moved = TestBundle.Make(edit: (i, e) => i == 4 ? e with { TenantId = TestBundle.OtherCounty } : e);
        var problem = Single(moved.Audit(), "county");
        Assert.Equal((AuditBundle.EventsFile, 5L, 4L), (problem.File, problem.Line, problem.LeafIndex));

        var relabelled = TestBundle.Make();
        relabelled.Manifest = relabelled.Manifest with { County = TestBundle.OtherCounty };
        var report = relabelled.Audit();
        Assert.Contains(report.Problems, p => p is { Kind: "county", File: AuditBundle.ManifestFile, HeadSize: 20 });
        Assert.Equal(3, report.Problems.Count(p => p is { Kind: "county", File: AuditBundle.HeadsFile }));
        Assert.Equal(20, report.Problems.Count(p => p is { Kind: "county", File: AuditBundle.EventsFile }));
    }

    [Fact]
    public void A_bad_or_missing_consistency_proof_is_located_at_its_head()
    {
        var bundle = TestBundle.Make(headSizes: [5, 12]);
        var proof = bundle.Proofs.Single(p => p.FromSize == 12);
        var path = proof.Proof.ToList();
        path[0] = LedgerHashing.Hex(SHA256.HashData("伪造"u8));
        bundle.Proofs[bundle.Proofs.IndexOf(proof)] = proof with { Proof = path };
        var problem = Single(bundle.Audit(), "consistency");
        Assert.Equal((AuditBundle.ConsistencyFile, 12L), (problem.File, problem.HeadSize));
        Kinds(bundle.Audit(), "consistency");

        var missing = TestBundle.Make(headSizes: [5, 12]);
        missing.Proofs.RemoveAt(0);
        Assert.Equal(5, Single(missing.Audit(), "consistency").HeadSize);
    }

    [Fact]
    public void A_manifest_that_hides_events_or_files_that_are_missing_are_reported()
    {
        var hidden = TestBundle.Make();
        hidden.EventLines.RemoveRange(15, 5);
        hidden.Manifest = hidden.Manifest with { LastLeaf = 14 };
        Assert.Contains("events are left out", Single(hidden.Audit(), "range").Detail);

        var bundle = TestBundle.Make();
        bundle.Manifest = bundle.Manifest with { Format = "ledger-bundle-v0" };
        Kinds(bundle.Audit(), "format");

        var beyond = TestBundle.Make();
        beyond.Manifest = beyond.Manifest with { From = new DateOnly(2017, 9, 1), To = new DateOnly(2030, 1, 1), LastLeaf = 25 };
        Assert.Contains("not all in the head's tree", Single(beyond.Audit(), "range").Detail);

        // Without its manifest nothing can be proved; without its leaves no event can be placed.
        using var withoutManifest = new MemoryStream();
        using (var source = new System.IO.Compression.ZipArchive(new MemoryStream(TestBundle.Make().Zip())))
        using (var copy = new System.IO.Compression.ZipArchive(withoutManifest, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            foreach (var entry in source.Entries.Where(e => e.Name != AuditBundle.ManifestFile))
            {
                using var from = entry.Open();
                using var to = copy.CreateEntry(entry.FullName).Open();
                from.CopyTo(to);
            }
        withoutManifest.Position = 0;
        var report = OfflineAudit.Run(withoutManifest, bundle.ReviewerKeyPem);
        Assert.Equal(AuditBundle.ManifestFile, Single(report, "missing-file").File);
        Assert.Null(report.Head);
    }

    [Fact]
    public void Inputs_that_cannot_be_read_are_refused_as_such()
    {
        var bundle = TestBundle.Make(events: 3);
        Assert.Throws<ArgumentException>(() => OfflineAudit.Run(new MemoryStream("not a zip"u8.ToArray()), bundle.ReviewerKeyPem));
        Assert.Throws<ArgumentException>(() => OfflineAudit.Run(new MemoryStream(bundle.Zip()), "not a key"));
        Assert.Throws<ArgumentException>(() => OfflineAudit.Run(new MemoryStream(bundle.Zip()), bundle.ReviewerKeyPem, "{ not json"));
    }

    [Fact]
    public void A_hashed_events_content_hash_is_the_stored_events_in_v2_and_v1()
    {
        foreach (var stored in Enumerable.Range(0, 8).Select(TestBundle.Event)
                     .Append(TestBundle.Event(1) with { IsArchived = true, CausationId = "c", HeadersJson = null }))
        {
            var v2 = HashedEvent.Of(stored);
            Assert.Equal(LedgerHashing.ContentText(stored), LedgerHashing.ContentText(v2));
            Assert.Equal(LedgerHashing.ContentHash(stored), LedgerHashing.ContentHash(v2));
            Assert.Equal(v2.ContentHash, LedgerHashing.ContentHash(v2));

            var v1 = HashedEvent.Of(stored, legacy: true);
            Assert.Equal(LedgerHashing.LegacyContentText(stored), LedgerHashing.ContentText(v1));
            Assert.Equal(LedgerHashing.LegacyContentHash(stored), LedgerHashing.ContentHash(v1));
        }
        Assert.Throws<ArgumentException>(() => LedgerHashing.ContentHash(HashedEvent.Of(TestBundle.Event(0)) with { Format = "ledger-event-v3" }));
    }
}
