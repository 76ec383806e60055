using System.Security.Cryptography;
using Ledger.Domain.Audit;

namespace Ledger.Tests.Rules;

public sealed class MerkleTreeTests
{
    private static List<byte[]> Leaves(int n) =>
        Enumerable.Range(0, n).Select(i => MerkleTree.Leaf(SHA256.HashData(BitConverter.GetBytes(i)))).ToList();

    [Fact]
    public void The_streamed_root_equals_the_recursive_root_for_every_size()
    {
        foreach (var n in Enumerable.Range(0, 70).Append(1000).Append(1025))
        {
            var leaves = Leaves(n);
            var builder = new MerkleTree.Builder();
            leaves.ForEach(builder.Add);
            Assert.Equal(Convert.ToHexString(MerkleTree.Root(leaves)), Convert.ToHexString(builder.Root()));
            Assert.Equal(n, builder.Count);
        }
    }

    [Fact]
    public void Every_audit_path_leads_back_to_the_root()
    {
        var leaves = Leaves(37);
        var root = MerkleTree.Root(leaves);
        for (var m = 0; m < leaves.Count; m++)
            Assert.Equal(root, MerkleTree.RootFromPath(leaves[m], m, leaves.Count, MerkleTree.AuditPath(leaves, m)));
        Assert.NotEqual(root, MerkleTree.RootFromPath(leaves[3], 4, leaves.Count, MerkleTree.AuditPath(leaves, 3)));
    }
}
