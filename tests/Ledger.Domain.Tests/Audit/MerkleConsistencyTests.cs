using System.Security.Cryptography;
using Ledger.Domain.Audit;

namespace Ledger.Domain.Tests.Audit;

public sealed class MerkleConsistencyTests
{
    private static List<byte[]> Leaves(int n) =>
        Enumerable.Range(0, n).Select(i => MerkleTree.Leaf(SHA256.HashData(BitConverter.GetBytes(i)))).ToList();

    /// <summary>RFC 9162 §2.1.4.1 written out as the recursive definition, independently of the production code.</summary>
    private static List<byte[]> Definition(List<byte[]> d, int m, bool b)
    {
        var n = d.Count;
        if (m == n) return b ? [] : [Mth(d)];
        var k = 1;
        while (k * 2 < n) k *= 2;
        return m <= k
            ? [.. Definition(d[..k], m, b), Mth(d[k..])]
            : [.. Definition(d[k..], m - k, false), Mth(d[..k])];
    }

    private static byte[] Mth(List<byte[]> d)
    {
        if (d.Count == 1) return d[0];
        var k = 1;
        while (k * 2 < d.Count) k *= 2;
        return SHA256.HashData([0x01, .. Mth(d[..k]), .. Mth(d[k..])]);
    }

    [Fact]
    public void Every_proof_up_to_64_leaves_follows_the_recursive_definition_and_verifies()
    {
        for (var n = 1; n <= 64; n++)
        {
            var leaves = Leaves(n);
            var root = MerkleTree.Root(leaves);
            Assert.Equal(Mth(leaves), root);
            for (var m = 1; m <= n; m++)
            {
                var proof = MerkleTree.ConsistencyProof(leaves, m);
                Assert.Equal(Definition(leaves, m, true), proof);
                var oldRoot = MerkleTree.Root(leaves[..m]);
                Assert.True(MerkleTree.VerifyConsistency(m, n, oldRoot, root, proof), $"m={m}, n={n}");
            }
        }
    }

    [Fact]
    public void A_proof_fails_for_a_changed_old_tree_a_changed_new_tree_or_a_tampered_path()
    {
        for (var n = 2; n <= 40; n++)
        {
            var leaves = Leaves(n);
            var root = MerkleTree.Root(leaves);
            for (var m = 1; m < n; m++)
            {
                var proof = MerkleTree.ConsistencyProof(leaves, m);
                var oldRoot = MerkleTree.Root(leaves[..m]);

                // The old tree with one leaf changed is not a prefix of the new one.
                var altered = leaves[..m].ToList();
                altered[m / 2] = MerkleTree.Leaf(SHA256.HashData("篡改"u8.ToArray()));
                Assert.False(MerkleTree.VerifyConsistency(m, n, MerkleTree.Root(altered), root, proof), $"old changed m={m}, n={n}");

                // Nor is the old tree of a new tree whose early leaf changed.
                var rewritten = leaves.ToList();
                rewritten[0] = altered[m / 2];
                Assert.False(MerkleTree.VerifyConsistency(m, n, oldRoot, MerkleTree.Root(rewritten), proof), $"new changed m={m}, n={n}");

                for (var i = 0; i < proof.Count; i++)
                {
                    var tampered = proof.Select(p => (byte[])p.Clone()).ToList();
                    tampered[i][0] ^= 1;
                    Assert.False(MerkleTree.VerifyConsistency(m, n, oldRoot, root, tampered), $"path {i} m={m}, n={n}");
                }
            }
        }
    }

    [Fact]
    public void Equal_sizes_need_an_empty_proof_and_equal_roots()
    {
        var leaves = Leaves(5);
        var root = MerkleTree.Root(leaves);
        Assert.Empty(MerkleTree.ConsistencyProof(leaves, 5));
        Assert.True(MerkleTree.VerifyConsistency(5, 5, root, root, []));
        Assert.False(MerkleTree.VerifyConsistency(5, 5, root, MerkleTree.Root(leaves[..4]), []));
        Assert.False(MerkleTree.VerifyConsistency(0, 5, root, root, []));
    }
}
