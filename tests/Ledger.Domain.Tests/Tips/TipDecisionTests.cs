using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;
using Ledger.Domain.Tips;
using static Ledger.Domain.Tests.Spec;

namespace Ledger.Domain.Tests.Tips;

/// <summary>A tip received from the public, dismissed or linked to an inspection.</summary>
public sealed class TipDecisionTests
{
    private const string Town = "440233100";
    private const string OtherTown = "440233101";
    private const string Village = "440233100201";
    private static readonly Guid TipId = Guid.Parse("0190a000-0000-7000-8000-0000000000f1");
    private static readonly Guid InspectionId = Guid.Parse("0190a000-0000-7000-8000-0000000000f2");
    private static readonly DateOnly Today = new(2017, 9, 1);
    private const string Receipt = "440233-ABCD-EFGH-JKLM-NPQR";
    private static readonly Encryptor NoKey = new("Ledger:Crypto:Key", null);
    private static readonly Encryptor WithKey = new("Ledger:Crypto:Key", plain => $"enc({plain})");

    private static readonly RegistryState Registry = new(
        new Dictionary<string, KnownTown> { [Town] = new(Town, "马头镇", TownKind.Town, 1) },
        new Dictionary<string, KnownVillage> { [Village] = new(Village, Town, "上坪村", VillageStatus.NonPoor, new Dictionary<string, PairingKind>(), 1) },
        new Dictionary<string, KnownUnit>());

    private static readonly TipReceived Received = new(TipId, Tip.HashReceipt(Receipt), "低保评定不公", Town, Village, null, new DateOnly(2017, 8, 1));

    private static Inspection InspectionOf(params string[] towns) => Given<Inspection>(new InspectionPlanned(InspectionId, InspectionKind.Comprehensive,
        null, 2017, towns, [], [ContentArea.IdentificationAndExit], [], [], new DateOnly(2017, 9, 1), new DateOnly(2017, 9, 30), false, null,
        new DateOnly(2017, 8, 20)));

    [Fact]
    public void A_tip_naming_a_village_takes_its_town_and_keeps_the_contact_only_encrypted() =>
        Then(new SubmitTip(null, " 低保评定不公 ", null, Village, " 138 ").Decide(TipId, Receipt, Registry, WithKey, Today),
            new TipReceived(TipId, Tip.HashReceipt(Receipt), "低保评定不公", Town, Village, "enc(138)", Today));

    [Fact]
    public void A_tip_names_known_places_in_agreement_and_a_contact_only_when_it_can_be_encrypted()
    {
        Refused(new SubmitTip(null, "x", "440233999", null, null).Decide(TipId, Receipt, Registry, NoKey, Today),
            RefusalKind.Invalid, "unknown town code '440233999'");
        Refused(new SubmitTip(null, "x", OtherTown, Village, null).Decide(TipId, Receipt, Registry, NoKey, Today),
            RefusalKind.Invalid, $"village {Village} lies in town {Town}");
        Refused(new SubmitTip(null, "x", null, null, "138").Decide(TipId, Receipt, Registry, NoKey, Today),
            RefusalKind.Invalid, "contacts are kept only encrypted");
        Refused(new SubmitTip(null, " ", null, null, null).Decide(TipId, Receipt, Registry, NoKey, Today),
            RefusalKind.Invalid, "description (what happened) is required");
    }

    [Fact]
    public void A_received_tip_is_dismissed_with_its_reason() =>
        Then(new DismissTip(1, " 查无实据 ").Decide(Given<Tip>(Received), Today), new TipDismissed(TipId, "查无实据", Today));

    [Fact]
    public void A_dismissal_needs_a_reason_and_a_tip_still_received()
    {
        Refused(new DismissTip(1, null).Decide(Given<Tip>(Received), Today), RefusalKind.Invalid, "reason is required");
        Refused(new DismissTip(2, "again").Decide(Given<Tip>(Received, new TipDismissed(TipId, "查无实据", Today)), Today),
            RefusalKind.Conflict, "the tip is already 不予立案");
    }

    [Fact]
    public void A_tip_is_linked_to_an_inspection_that_covers_its_town() =>
        Then(new LinkTip(1, InspectionId).Decide(Given<Tip>(Received), InspectionOf(Town), Today),
            new TipLinked(TipId, InspectionId, 2017, Town, Village, Today));

    [Fact]
    public void A_link_names_an_existing_inspection_that_covers_the_town()
    {
        Refused(new LinkTip(1, null).Decide(Given<Tip>(Received), null, Today), RefusalKind.Invalid, "inspection is required");
        Refused(new LinkTip(1, InspectionId).Decide(Given<Tip>(Received), null, Today), RefusalKind.NotFound, $"no inspection {InspectionId}");
        Refused(new LinkTip(1, InspectionId).Decide(Given<Tip>(Received), InspectionOf(OtherTown), Today),
            RefusalKind.Invalid, $"the tip concerns town {Town}, which this inspection does not cover");
    }

    [Fact]
    public void A_tip_already_handled_or_an_inspection_past_its_field_work_cannot_be_linked()
    {
        Refused(new LinkTip(2, InspectionId).Decide(Given<Tip>(Received, new TipLinked(TipId, InspectionId, 2017, Town, Village, Today)), InspectionOf(Town), Today),
            RefusalKind.Conflict, "the tip is already");
        var reported = InspectionOf(Town).Apply(new InspectionReportSubmitted(InspectionId, 2017, "s", [], "o", "s", "li", Today));
        Refused(new LinkTip(1, InspectionId).Decide(Given<Tip>(Received), reported, Today),
            RefusalKind.Conflict, "the inspection's field work is over");
    }
}
