using JasperFx.Events;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Marten.Events.Projections;

namespace Ledger.Projections.Accountability;

/// <summary>
/// Fans events from inspection, case and survey streams into one view per town-year and
/// unit-year. All logic lives in <see cref="AccountabilityEvolver"/>.
/// </summary>
public partial class AccountabilityProjection : MultiStreamProjection<AccountabilityView, string>
{
    public AccountabilityProjection()
    {
        Route<InspectionPlanned>();
        Route<InspectionFieldworkStarted>();
        Route<InspectionResultsNotified>();
        Route<FindingRecorded>();
        Route<FundingCheckRecorded>();
        Route<IdentificationReviewed>();
        Route<FindingAmended>();
        Route<FundingCheckAmended>();
        Route<FindingWithdrawn>();
        Route<RectificationRequired>();
        Route<RectificationResponded>();
        Route<RectificationAccepted>();
        Route<RectificationReturned>();
        Route<RectificationExtensionGranted>();
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
