using JasperFx.Events;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Marten.Events.Aggregation;
using Marten.Events.Projections;

namespace Ledger.Projections.Accountability;

/// <summary>
/// Fans inspection, notification and survey events into one view per town-year and unit-year.
/// All logic lives in <see cref="AccountabilityEvolver"/>.
/// </summary>
public partial class AccountabilityProjection : MultiStreamProjection<AccountabilityView, string>
{
    public AccountabilityProjection()
    {
        Route<InspectionPlanned>();
        Route<InspectionFieldworkStarted>();
        Route<InspectionResultsNotified>();
        Route<PublicApprovalSurveyed>();
    }

    private void Route<T>() where T : notnull => Identities<T>(e => AccountabilityEvolver.KeysOf(e));

    public override AccountabilityView Evolve(AccountabilityView? snapshot, string id, IEvent e)
    {
        var view = snapshot ?? new AccountabilityView { Id = id };
        AccountabilityEvolver.Evolve(view, e.Data, e.Sequence, e.Id);
        return view;
    }
}

/// <summary>
/// One <see cref="CaseRow"/> per case, from the case's own stream (finding, funding check or review,
/// its corrections and its rectification). All logic lives in <see cref="AccountabilityEvolver"/>.
/// </summary>
public partial class CaseRowProjection : SingleStreamProjection<CaseRow, Guid>
{
    public override CaseRow? Evolve(CaseRow? snapshot, Guid id, IEvent e) =>
        AccountabilityEvolver.EvolveCase(snapshot, e.Data, e.Sequence, e.Id);
}
