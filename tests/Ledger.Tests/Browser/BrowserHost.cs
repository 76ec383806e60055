using System.Net;
using Ledger.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Ledger.Tests.Browser;

/// <summary>
/// What the browser tests share, made once per test run: a real port for the ledger and one headless Chromium.
/// The collection's host runs on an in-memory test server, which a browser cannot reach; a small Kestrel server on
/// 127.0.0.1 (a free port) passes each request to it unchanged and the answer back, so the browser drives the very
/// host, database, clock and resets the other tests use. Chromium is Debian's (/usr/bin/chromium, which ./test.sh
/// installs): Playwright's own browser download does not work on these machines. Missing, the tests fail saying so.
/// </summary>
public sealed class BrowserHost
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static BrowserHost? _shared;

    public required string BaseUrl { get; init; }
    public required IBrowser Browser { get; init; }

    public static async Task<BrowserHost> ForAsync(LedgerFixture fixture)
    {
        await Gate.WaitAsync();
        try
        {
            return _shared ??= await StartAsync(fixture);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<BrowserHost> StartAsync(LedgerFixture fixture)
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"The browser tests need Chromium at {ChromiumPath}: run ./test.sh (it installs Debian's chromium and fonts-noto-cjk when missing), " +
                "or as root: apt-get install chromium fonts-noto-cjk");

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var proxy = builder.Build();
        var invoker = new HttpMessageInvoker(fixture.Host.Server.CreateHandler());
        proxy.Run(context => ForwardAsync(context, invoker));
        await proxy.StartAsync();
        var address = proxy.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            browser.CloseAsync().GetAwaiter().GetResult();
            playwright.Dispose();
            proxy.StopAsync().GetAwaiter().GetResult();
        };
        return new BrowserHost { BaseUrl = address.Replace("[::1]", "127.0.0.1"), Browser = browser };
    }

    private static async Task ForwardAsync(HttpContext context, HttpMessageInvoker invoker)
    {
        var incoming = context.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), $"http://localhost{incoming.Path}{incoming.QueryString}");
        if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0)
        {
            var body = new MemoryStream();
            await incoming.Body.CopyToAsync(body);
            body.Position = 0;
            request.Content = new StreamContent(body);
        }
        foreach (var (name, values) in incoming.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        using var response = await invoker.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            context.Response.Headers[name] = values.ToArray();
        }
        await response.Content.CopyToAsync(context.Response.Body);
    }
}
