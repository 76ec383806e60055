using System.Net;
using Alba;
using Ledger.Tests.Fixtures;

namespace Ledger.Tests.Operations;

/// <summary>
/// The Prometheus scrape endpoint (Ledger:Metrics:Prometheus, on in the county tests' host): the ledger's own metrics,
/// each async projection's lag among them, for loopback callers only; anyone else gets 404 as if it were not there.
/// </summary>
public sealed class MetricsTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private async Task<(int Status, string Text)> Scrape(string address)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/metrics");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(address));
            s.IgnoreStatusCode();
        });
        return (result.Context.Response.StatusCode, await result.ReadAsTextAsync());
    }

    [Fact]
    public async Task The_scrape_shows_each_async_projections_lag_the_chain_lag_writes_and_requests()
    {
        await Given.SampleRegistry();
        await Fixture.SettledAsync();

        var (status, text) = await Scrape("127.0.0.1");
        Assert.True(status == 200, text);
        var lag = text.Split('\n').Where(l => l.StartsWith("ledger_projection_lag{", StringComparison.Ordinal)).ToList();
        Assert.True(lag.Count >= 2, text);   // the two async projections, each with its own line
        Assert.Contains(lag, l => l.Contains("projection=\"") && l.Contains("Accountability"));
        Assert.Contains(lag, l => l.Contains("projection=\"") && l.Contains("CaseRow"));
        Assert.Contains("ledger_chain_lag{", text);
        Assert.Contains("ledger_events_appended_total{", text);
        Assert.Contains("http_server_request_duration_seconds", text);
    }

    [Theory]
    [InlineData("203.0.113.9")]
    [InlineData("192.0.2.10")]   // even the trusted proxy's own address: a request through it names its client
    public async Task A_caller_outside_the_allowed_networks_gets_404(string address)
    {
        var (status, text) = await Scrape(address);
        Assert.Equal(404, status);
        Assert.DoesNotContain("ledger_", text);
    }
}

/// <summary>A host without <c>Ledger:Metrics:Prometheus</c> (the province's, as deployed by default) has no scrape endpoint.</summary>
public sealed class MetricsOffTests(ProvinceFixture fixture) : ProvinceTest(fixture)
{
    [Fact]
    public async Task Without_the_setting_there_is_no_scrape_endpoint_even_for_loopback()
    {
        var result = await Fixture.Host.Scenario(s =>
        {
            s.Get.Url("/metrics");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Loopback);
            s.IgnoreStatusCode();
        });
        Assert.Equal(404, result.Context.Response.StatusCode);
        Assert.DoesNotContain("ledger_projection_lag", await result.ReadAsTextAsync());
    }
}
