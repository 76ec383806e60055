using System.Security.Cryptography;
using System.Text;

namespace Ledger.Domain.Common;

/// <summary>
/// Name-based (RFC 4122 version 5 style) ids, so that a registry entry's stream id follows from
/// its county and code: re-importing the same row finds the same stream.
/// </summary>
public static class StableId
{
    public static Guid For(string kind, string county, string code)
    {
        var bytes = SHA1.HashData(Encoding.UTF8.GetBytes($"ledger:{kind}:{county}:{code}"));
        var guid = bytes.AsSpan(0, 16).ToArray();
        guid[6] = (byte)((guid[6] & 0x0F) | 0x50);
        guid[8] = (byte)((guid[8] & 0x3F) | 0x80);
        return new Guid(guid, bigEndian: true);
    }
}
