using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ledger.Api.Accounts;
using Ledger.Tests.Fixtures;

namespace Ledger.Tests.Accounts;

/// <summary>
/// What a browser does with the API, by hand: keeps the session cookie it was given, sends it back, and adds the
/// CSRF header to unsafe requests as the pages do (unless a test plays a cross-site form).
/// </summary>
public sealed class SessionClient(LedgerFixture fixture)
{
    public string? Cookie { get; set; }

    public async Task<(int Status, JsonElement Body)> Send(HttpMethod method, string url, object? json = null, bool csrf = true,
        HttpContent? content = null, string? bearer = null)
    {
        var client = fixture.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(method, url)
        {
            Content = content ?? (json is null ? null : JsonContent.Create(json, json.GetType(), options: ApiJson.Options)),
        };
        if (Cookie is not null) request.Headers.Add("Cookie", $"{SessionCookie.Name}={Cookie}");
        if (csrf) request.Headers.Add(SessionCookie.CsrfHeader, "1");
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
            foreach (var set in cookies.Where(c => c.StartsWith(SessionCookie.Name + "=")))
            {
                var value = set[(SessionCookie.Name.Length + 1)..].Split(';')[0];
                Cookie = value.Length == 0 ? null : value;
            }
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public Task<(int Status, JsonElement Body)> SignIn(string user, string password, string? newPassword = null) =>
        Send(HttpMethod.Post, "/api/session", new SignIn(null, user, password, newPassword));

    /// <summary>Signs in with a one-time password, replacing it; asserts success.</summary>
    public async Task FirstSignIn(string user, string oneTimePassword, string newPassword)
    {
        var (status, body) = await SignIn(user, oneTimePassword, newPassword);
        Assert.True(status == 200, $"sign-in answered {status}: {body}");
        Assert.NotNull(Cookie);
    }

    public static StringContent Text(string text) => new(text, Encoding.UTF8, "application/x-www-form-urlencoded");
}
