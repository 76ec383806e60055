using Microsoft.Playwright;

namespace Ledger.Tests.Browser;

/// <summary>
/// The documentation's screenshots, taken by the browser tests at the moments they check: written to the directory
/// in <c>LEDGER_SCREENSHOTS</c> (scripts/screenshots.sh sets it to docs/screenshots), and not at all otherwise.
/// </summary>
public static class Screenshots
{
    public static async Task TakeAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("LEDGER_SCREENSHOTS") is not { Length: > 0 } directory) return;
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }
}
