using System.Security.Cryptography;
using System.Text;
using Ledger.Domain.Audit;

namespace Ledger.Domain.Tests.Audit;

/// <summary>The seal of an event and the text the content hash covers (docs/audit.md).</summary>
public sealed class EventMacTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static readonly StoredEvent Event = new(42, "0196a1b2-0000-7000-8000-000000000001", 3, "town_registered", "440233",
        new DateTimeOffset(2017, 9, 1, 8, 30, 0, TimeSpan.FromHours(8)).AddTicks(1234560), "张三",
        """{"role":"poverty-office","mac":"00"}""", """{"Name":"新丰镇","Code":"440233100"}""",
        "0196a1b2-0000-7000-8000-0000000000ee", false, "corr-1", null);

    [Fact]
    public void The_sealed_text_is_the_events_identity_user_other_headers_and_canonical_data()
    {
        Assert.Equal(
            "ledger-mac-v1\n440233\n0196a1b2-0000-7000-8000-000000000001\n0196a1b2-0000-7000-8000-0000000000ee\ntown_registered\n张三\n" +
            """{"role":"poverty-office"}""" + "\n" + """{"Code":"440233100","Name":"新丰镇"}""",
            EventMac.Text(Event));
        Assert.Equal("{}", EventMac.HeadersWithoutMac(null));
        Assert.Equal("{}", EventMac.HeadersWithoutMac("""{"mac":"ab"}"""));
    }

    [Fact]
    public void The_seal_is_hmac_sha256_of_the_text_and_holds_only_for_the_stored_content_under_the_key()
    {
        var mac = EventMac.Compute(Key, EventMac.Text(Event));
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(EventMac.Text(Event)))), mac);
        var sealedEvent = Event with { HeadersJson = $$"""{"role":"poverty-office","mac":"{{mac}}"}""" };
        Assert.Equal(mac, EventMac.Stored(sealedEvent.HeadersJson));
        Assert.True(EventMac.Holds(Key, sealedEvent));

        Assert.False(EventMac.Holds(Key, sealedEvent with { DataJson = """{"Name":"篡改镇","Code":"440233100"}""" }));
        Assert.False(EventMac.Holds(Key, sealedEvent with { UserName = "mallory" }));
        Assert.False(EventMac.Holds(Key, sealedEvent with { Id = "0196a1b2-0000-7000-8000-0000000000ff" }));
        Assert.False(EventMac.Holds(Key, sealedEvent with { HeadersJson = $$"""{"role":"reviewer","mac":"{{mac}}"}""" }));
        Assert.False(EventMac.Holds(RandomNumberGenerator.GetBytes(32), sealedEvent));
        Assert.False(EventMac.Holds(Key, Event with { HeadersJson = """{"role":"poverty-office"}""" }));
        // Key order and whitespace of the stored JSON do not matter; the position does not enter the seal.
        Assert.True(EventMac.Holds(Key, sealedEvent with { DataJson = """{ "Code": "440233100", "Name": "新丰镇" }""", Sequence = 7, Version = 9 }));
    }

    [Fact]
    public void The_content_text_has_every_column_the_ledger_reads()
    {
        Assert.Equal(string.Join("\n",
            "ledger-event-v2", "42", "0196a1b2-0000-7000-8000-0000000000ee", "0196a1b2-0000-7000-8000-000000000001", "3", "town_registered",
            "440233", "2017-09-01T00:30:00.123456Z", "张三", "corr-1", "", "false",
            """{"mac":"00","role":"poverty-office"}""", """{"Code":"440233100","Name":"新丰镇"}"""), LedgerHashing.ContentText(Event));
        Assert.NotEqual(LedgerHashing.ContentHash(Event), LedgerHashing.ContentHash(Event with { IsArchived = true }));
        Assert.NotEqual(LedgerHashing.ContentHash(Event), LedgerHashing.ContentHash(Event with { Id = "x" }));
        Assert.NotEqual(LedgerHashing.BodyHash(Event), LedgerHashing.BodyHash(Event with { CausationId = "c" }));
        Assert.Equal(LedgerHashing.BodyHash(Event), LedgerHashing.BodyHash(Event with { Sequence = 43 }));
    }

    [Fact]
    public void An_entry_chained_in_v1_still_matches_unless_the_event_was_archived_since()
    {
        var v1 = LedgerHashing.LegacyContentHash(Event);
        Assert.StartsWith("ledger-event-v1\n42\n0196a1b2-0000-7000-8000-000000000001\n3\n", LedgerHashing.LegacyContentText(Event));
        Assert.True(LedgerHashing.Matches(Event, v1));
        Assert.True(LedgerHashing.Matches(Event, LedgerHashing.ContentHash(Event)));
        Assert.False(LedgerHashing.Matches(Event with { IsArchived = true }, v1));
        Assert.False(LedgerHashing.Matches(Event with { DataJson = "{}" }, v1));
    }
}
