using System.Security.Cryptography;

namespace Ledger.Domain.Audit;

/// <summary>
/// The Merkle tree of RFC 6962 §2.1 over the events' content hashes in sequence order: a leaf is
/// SHA-256(0x00 ‖ content hash), a node SHA-256(0x01 ‖ left ‖ right), and the tree of n leaves
/// splits at the largest power of two smaller than n.
/// </summary>
public static class MerkleTree
{
    public static byte[] Leaf(byte[] contentHash) => SHA256.HashData([0x00, .. contentHash]);

    public static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>The root over leaves [start, start + count); the empty tree's root is SHA-256 of nothing.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leaves) => leaves.Count == 0 ? SHA256.HashData([]) : Root(leaves, 0, leaves.Count);

    private static byte[] Root(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 1) return leaves[start];
        var k = Split(count);
        return Node(Root(leaves, start, k), Root(leaves, start + k, count - k));
    }

    /// <summary>The audit path of leaf m in the tree of the leaves given (RFC 6962 PATH(m, D[n])), bottom up.</summary>
    public static IReadOnlyList<byte[]> AuditPath(IReadOnlyList<byte[]> leaves, int m)
    {
        var path = new List<byte[]>();
        Path(leaves, 0, leaves.Count, m, path);
        return path;
    }

    private static void Path(IReadOnlyList<byte[]> leaves, int start, int count, int m, List<byte[]> path)
    {
        if (count <= 1) return;
        var k = Split(count);
        if (m < k)
        {
            Path(leaves, start, k, m, path);
            path.Add(Root(leaves, start + k, count - k));
        }
        else
        {
            Path(leaves, start + k, count - k, m - k, path);
            path.Add(Root(leaves, start, k));
        }
    }

    /// <summary>
    /// Checks an inclusion proof (RFC 9162 §2.1.3.2): from the leaf at index m of a tree of n leaves
    /// and the path, recompute the root.
    /// </summary>
    public static byte[] RootFromPath(byte[] leaf, long m, long n, IReadOnlyList<byte[]> path)
    {
        long fn = m, sn = n - 1;
        var r = leaf;
        foreach (var p in path)
        {
            if (sn == 0) throw new ArgumentException("the path is longer than the tree allows");
            if ((fn & 1) == 1 || fn == sn)
            {
                r = Node(p, r);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else r = Node(r, p);
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) throw new ArgumentException("the path is shorter than the tree needs");
        return r;
    }

    /// <summary>
    /// The consistency proof between the tree of the first <paramref name="m"/> leaves and the tree
    /// of all the leaves given (RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true)). Empty
    /// when m = n; 0 &lt; m ≤ n.
    /// </summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leaves, int m)
    {
        if (m < 1 || m > leaves.Count) throw new ArgumentOutOfRangeException(nameof(m), $"m must be in 1..{leaves.Count}");
        var proof = new List<byte[]>();
        SubProof(leaves, 0, leaves.Count, m, true, proof);
        return proof;
    }

    private static void SubProof(IReadOnlyList<byte[]> leaves, int start, int count, int m, bool whole, List<byte[]> proof)
    {
        if (m == count)
        {
            if (!whole) proof.Add(Root(leaves, start, count));
            return;
        }
        var k = Split(count);
        if (m <= k)
        {
            SubProof(leaves, start, k, m, whole, proof);
            proof.Add(Root(leaves, start + k, count - k));
        }
        else
        {
            SubProof(leaves, start + k, count - k, m - k, false, proof);
            proof.Add(Root(leaves, start, k));
        }
    }

    /// <summary>
    /// Checks a consistency proof (RFC 9162 §2.1.4.2): true when the tree of size
    /// <paramref name="first"/> with root <paramref name="firstRoot"/> is a prefix of the tree of
    /// size <paramref name="second"/> with root <paramref name="secondRoot"/>.
    /// </summary>
    public static bool VerifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot, IReadOnlyList<byte[]> proof)
    {
        if (first < 1 || second < first) return false;
        if (first == second) return proof.Count == 0 && firstRoot.AsSpan().SequenceEqual(secondRoot);
        var path = new List<byte[]>(proof);
        if ((first & (first - 1)) == 0) path.Insert(0, firstRoot);
        if (path.Count == 0) return false;
        long fn = first - 1, sn = second - 1;
        while ((fn & 1) == 1) { fn >>= 1; sn >>= 1; }
        byte[] fr = path[0], sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = Node(c, fr);
                sr = Node(c, sr);
                while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else sr = Node(sr, c);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot);
    }

    /// <summary>
    /// The same root as <see cref="Root"/>, computed leaf by leaf in O(log n) memory: the tree of n
    /// leaves is its perfect subtrees (one per bit of n, largest first) joined from the right.
    /// </summary>
    public sealed class Builder
    {
        private readonly List<(long Size, byte[] Hash)> _perfect = [];

        public long Count { get; private set; }

        public void Add(byte[] leaf)
        {
            Count++;
            var (size, hash) = (1L, leaf);
            while (_perfect.Count > 0 && _perfect[^1].Size == size)
            {
                hash = Node(_perfect[^1].Hash, hash);
                size <<= 1;
                _perfect.RemoveAt(_perfect.Count - 1);
            }
            _perfect.Add((size, hash));
        }

        public byte[] Root()
        {
            if (_perfect.Count == 0) return SHA256.HashData([]);
            var root = _perfect[^1].Hash;
            for (var i = _perfect.Count - 2; i >= 0; i--) root = Node(_perfect[i].Hash, root);
            return root;
        }
    }

    private static int Split(int n)
    {
        var k = 1;
        while (k << 1 < n) k <<= 1;
        return k;
    }
}
