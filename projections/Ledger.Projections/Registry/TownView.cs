using Ledger.Domain.Common;
using Ledger.Domain.Registry;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Registry;

/// <summary>A town or subdistrict as the registry holds it now.</summary>
public sealed class TownView
{
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public TownKind Kind { get; set; }
    public string KindLabel => Codes.LabelOf(Kind);
    public DateOnly RegisteredOn { get; set; }
    public List<NameChange> FormerNames { get; set; } = [];
    public long Version { get; set; }
}

public sealed record NameChange(string OldName, string NewName, DateOnly EffectiveOn, string Reason);

public partial class TownViewProjection : SingleStreamProjection<TownView, Guid>
{
    public TownView Create(TownRegistered e) => new()
    {
        Id = e.TownId, Code = e.TownCode, Name = e.Name, Kind = e.Kind, RegisteredOn = e.EffectiveOn,
    };

    public void Apply(TownRenamed e, TownView view)
    {
        view.FormerNames.Add(new NameChange(e.OldName, e.NewName, e.EffectiveOn, e.Reason));
        view.Name = e.NewName;
    }
}
