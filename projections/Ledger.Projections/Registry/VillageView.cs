using Ledger.Domain.Common;
using Ledger.Domain.Registry;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Registry;

/// <summary>A village as the registry holds it now, with the history of its status and its pairings.</summary>
public sealed class VillageView
{
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public string TownCode { get; set; } = "";
    public string Name { get; set; } = "";
    public VillageStatus Status { get; set; }
    public string StatusLabel => Codes.LabelOf(Status);
    public List<VillageStatusEntry> StatusHistory { get; set; } = [];
    public List<NameChange> FormerNames { get; set; } = [];
    public List<VillagePairing> Pairings { get; set; } = [];
    public long Version { get; set; }
}

/// <summary>One status the village held, from when, and on what basis.</summary>
public sealed record VillageStatusEntry(VillageStatus Status, DateOnly EffectiveOn, string? Basis)
{
    public string StatusLabel => Codes.LabelOf(Status);
}

public sealed record VillagePairing(string UnitCode, PairingKind Kind, DateOnly Since)
{
    public string KindLabel => Codes.LabelOf(Kind);
}

public partial class VillageViewProjection : SingleStreamProjection<VillageView, Guid>
{
    public VillageView Create(VillageRegistered e) => new()
    {
        Id = e.VillageId, Code = e.VillageCode, TownCode = e.TownCode, Name = e.Name, Status = e.Status,
        StatusHistory = [new VillageStatusEntry(e.Status, e.EffectiveOn, e.Basis)],
    };

    public void Apply(VillageRenamed e, VillageView view)
    {
        view.FormerNames.Add(new NameChange(e.OldName, e.NewName, e.EffectiveOn, e.Reason));
        view.Name = e.NewName;
    }

    public void Apply(VillageStatusChanged e, VillageView view)
    {
        view.Status = e.To;
        view.StatusHistory.Add(new VillageStatusEntry(e.To, e.EffectiveOn, e.Basis));
    }

    public void Apply(VillagePaired e, VillageView view) =>
        view.Pairings.Add(new VillagePairing(e.UnitCode, e.Kind, e.Since));
}
