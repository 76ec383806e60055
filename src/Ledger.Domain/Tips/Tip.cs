using Ledger.Domain.Inspections;
using System.Security.Cryptography;
using System.Text;
using Ledger.Domain.Common;

namespace Ledger.Domain.Tips;

/// <summary>Where a public report stands, as its reporter may learn it.</summary>
public enum TipStatus
{
    /// <summary>已受理</summary>
    [Label("已受理")] Received,
    /// <summary>不予立案 (dismissed, with the reason)</summary>
    [Label("不予立案")] Dismissed,
    /// <summary>已转督查组核查</summary>
    [Label("已转督查组核查")] Linked,
    /// <summary>已查实并记录问题</summary>
    [Label("已查实并记录问题")] FindingRecorded,
}

// A tip's stream: one per tip. The reporter's contact is only ever stored encrypted; the receipt
// code only as its SHA-256.

/// <summary>
/// 受理群众举报: what happened, where if known, the contact (encrypted, optional), the receipt's hash, and the photos
/// the reporter attached (uploaded to <c>POST /api/tips/evidence</c>, stored only with their metadata stripped; null
/// in tips received before photos were taken).
/// </summary>
[Label("受理群众举报")]
public sealed record TipReceived(Guid TipId, string ReceiptHash, string Description, string? TownCode, string? VillageCode,
    string? ContactEncrypted, DateOnly ReceivedOn, IReadOnlyList<Evidence>? Evidence = null);

/// <summary>举报不予立案: dismissed by the poverty office, with the reason.</summary>
[Label("举报不予立案")]
public sealed record TipDismissed(Guid TipId, string Reason, DateOnly DismissedOn);

/// <summary>举报转督查: linked to an inspection, whose team may record a finding from it (method 群众举报).</summary>
[Label("举报转督查")]
public sealed record TipLinked(Guid TipId, Guid InspectionId, int Year, string? TownCode, string? VillageCode, DateOnly LinkedOn);

/// <summary>举报人联系方式重新加密: the contact encrypted again under the key now current.</summary>
[Label("举报人联系方式重新加密")]
public sealed record TipContactReencrypted(Guid TipId, string ContactEncrypted, string KeyId);

/// <summary>The write model of a tip (inline snapshot); the contact stays encrypted in it.</summary>
public sealed record Tip(Guid Id, string ReceiptHash, string Description, string? TownCode, string? VillageCode, string? ContactEncrypted,
    DateOnly ReceivedOn, TipStatus Status, string? DismissalReason, Guid? InspectionId)
{
    public long Version { get; set; }
    public string StatusLabel => Codes.LabelOf(Status);

    /// <summary>The photos the reporter attached (metadata stripped), none for most tips.</summary>
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];

    public static Tip Create(TipReceived e) =>
        new(e.TipId, e.ReceiptHash, e.Description, e.TownCode, e.VillageCode, e.ContactEncrypted, e.ReceivedOn, TipStatus.Received, null, null)
        {
            Evidence = e.Evidence ?? [],
        };

    public Tip Apply(TipDismissed e) => this with { Status = TipStatus.Dismissed, DismissalReason = e.Reason };

    public Tip Apply(TipLinked e) => this with { Status = TipStatus.Linked, InspectionId = e.InspectionId };

    public Tip Apply(TipContactReencrypted e) => this with { ContactEncrypted = e.ContactEncrypted };

    /// <summary>A receipt code names its county and carries 80 random bits: <c>440233-XXXX-XXXX-XXXX-XXXX</c>.</summary>
    public static string NewReceipt(string county)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 16);
        return $"{county}-{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}-{new string(chars, 12, 4)}";
    }

    public static string HashReceipt(string receipt) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(receipt.Trim().ToUpperInvariant())));
}
