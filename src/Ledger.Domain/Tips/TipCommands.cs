using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Tips;

/// <summary>
/// 受理群众举报: what happened, where if known (town and/or village), an optional contact, and optionally the
/// SHA-256 of photos uploaded first to <c>POST /api/tips/evidence</c> (at most <see cref="MaxPhotos"/>).
/// </summary>
public sealed record SubmitTip(string? County, string? Description, string? Town, string? Village, string? Contact,
    IReadOnlyList<string>? Photos = null)
{
    public const int MaxPhotos = 5;

    /// <summary>
    /// Receives the tip as <paramref name="id"/>, keeping only the hash of <paramref name="receipt"/>
    /// and the contact only encrypted; the places it names must be in the county's registry. <paramref name="photos"/>
    /// are the attached photos as the store holds them (the endpoint refuses a hash that is not a tip photo).
    /// </summary>
    public Decision Decide(Guid id, string receipt, RegistryState registry, Encryptor encryptor, DateOnly today,
        IReadOnlyList<Evidence>? photos = null)
    {
        var checks = new Checks();
        checks.Text(Description, "description (what happened)", Checks.LongText);
        checks.Text(Contact, "contact", Checks.ShortText, required: false);
        var town = string.IsNullOrWhiteSpace(Town) ? null : Town.Trim();
        var village = string.IsNullOrWhiteSpace(Village) ? null : Village.Trim();
        checks.That(town is null || registry.Towns.ContainsKey(town), $"unknown town code '{town}'");
        checks.That(village is null || registry.Villages.ContainsKey(village), $"unknown village code '{village}'");
        if (village is not null && registry.Villages.TryGetValue(village, out var known))
        {
            checks.That(town is null || known.TownCode == town, $"village {village} lies in town {known.TownCode}");
            town ??= known.TownCode;
        }
        checks.That((Photos?.Count ?? 0) <= MaxPhotos, $"a tip carries at most {MaxPhotos} photos");
        checks.That(string.IsNullOrWhiteSpace(Contact) || encryptor.Enabled, "contacts are kept only encrypted, and no key is configured");
        if (checks.ToRefusal() is { } invalid) return invalid;
        return Decision.Accept(new TipReceived(id, Tip.HashReceipt(receipt), Description!.Trim(), town, village,
            string.IsNullOrWhiteSpace(Contact) ? null : encryptor.Encrypt!(Contact.Trim()), today, photos is { Count: > 0 } ? photos : null));
    }
}

/// <summary>不予立案, with the reason.</summary>
public sealed record DismissTip(long? ExpectedVersion, string? Reason) : IVersionedCommand
{
    public Decision Decide(Tip tip, DateOnly today)
    {
        if (new Checks().Text(Reason, "reason", Checks.LongText).ToRefusal() is { } invalid) return invalid;
        if (tip.Status != TipStatus.Received) return Refusal.Conflict($"the tip is already {tip.StatusLabel}");
        return Decision.Accept(new TipDismissed(tip.Id, Reason!.Trim(), today));
    }
}

/// <summary>转督查: the inspection whose team will look into it.</summary>
public sealed record LinkTip(long? ExpectedVersion, Guid? Inspection) : IVersionedCommand
{
    /// <summary>Links the tip to the inspection it names, given as read (null when there is none in the county).</summary>
    public Decision Decide(Tip tip, Inspection? inspection, DateOnly today)
    {
        if (Inspection is not { } inspectionId) return new Refusal(RefusalKind.Invalid, "inspection is required");
        if (inspection is null) return Refusal.NotFound($"no inspection {inspectionId} in this county");
        if (tip.Status != TipStatus.Received) return Refusal.Conflict($"the tip is already {tip.StatusLabel}");
        if (inspection.Status is InspectionStatus.ReportSubmitted or InspectionStatus.Closed)
            return Refusal.Conflict("the inspection's field work is over: link the tip to one still to come or in the field");
        if (tip.TownCode is { } town && !inspection.TownCodes.Contains(town))
            return new Refusal(RefusalKind.Invalid, $"the tip concerns town {town}, which this inspection does not cover");
        return Decision.Accept(new TipLinked(tip.Id, inspectionId, inspection.Year, tip.TownCode, tip.VillageCode, today));
    }
}
