using Ledger.Domain.Common;
using Ledger.Domain.Registry;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Ledger.Projections.Registry;

/// <summary>A unit as the registry holds it now, with the villages it is paired with.</summary>
public sealed class UnitView
{
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public UnitKind Kind { get; set; }
    public string KindLabel => Codes.LabelOf(Kind);
    public bool LeadingGroupMember { get; set; }
    public string? TownCode { get; set; }
    public DateOnly RegisteredOn { get; set; }
    public List<PairedVillage> PairedVillages { get; set; } = [];
    public List<UnitChange> Changes { get; set; } = [];
    /// <summary>The version of the unit's own stream (pairings live on village streams).</summary>
    public long UnitStreamVersion { get; set; }
}

public sealed record PairedVillage(string VillageCode, string TownCode, PairingKind Kind, DateOnly Since)
{
    public string KindLabel => Codes.LabelOf(Kind);
}

public sealed record UnitChange(DateOnly EffectiveOn, string Reason, string Name, UnitKind Kind, bool LeadingGroupMember, string? TownCode);

/// <summary>Multi-stream: the unit's own stream, plus pairings recorded on villages' streams.</summary>
public partial class UnitViewProjection : MultiStreamProjection<UnitView, Guid>
{
    public UnitViewProjection()
    {
        Identity<UnitRegistered>(e => e.UnitId);
        Identity<UnitDetailsChanged>(e => e.UnitId);
        Identity<VillagePaired>(e => e.UnitId);
    }

    public UnitView Create(IEvent<UnitRegistered> @event)
    {
        var e = @event.Data;
        return new UnitView
        {
            Id = e.UnitId, Code = e.UnitCode, Name = e.Name, Kind = e.Kind, LeadingGroupMember = e.LeadingGroupMember,
            TownCode = e.TownCode, RegisteredOn = e.EffectiveOn, UnitStreamVersion = @event.Version,
        };
    }

    public void Apply(IEvent<UnitDetailsChanged> @event, UnitView view)
    {
        var e = @event.Data;
        view.UnitStreamVersion = @event.Version;
        view.Changes.Add(new UnitChange(e.EffectiveOn, e.Reason, e.Name, e.Kind, e.LeadingGroupMember, e.TownCode));
        view.Name = e.Name;
        view.Kind = e.Kind;
        view.LeadingGroupMember = e.LeadingGroupMember;
        view.TownCode = e.TownCode;
    }

    public void Apply(VillagePaired e, UnitView view) =>
        view.PairedVillages.Add(new PairedVillage(e.VillageCode, e.TownCode, e.Kind, e.Since));
}
