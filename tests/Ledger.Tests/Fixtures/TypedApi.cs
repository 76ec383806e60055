using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ledger.Api.Setup;
using Ledger.Domain.Access;
using Ledger.Domain.Common;

namespace Ledger.Tests.Fixtures;

/// <summary>The API's own JSON, both ways: typed commands out, the API's response records back in.</summary>
public static class ApiJson
{
    /// <summary>
    /// The options the API uses (camelCase, enums as kebab-case codes, unknown members refused), so
    /// enum codes round-trip and a response field the record does not know fails the test. Nulls are
    /// left out of what a test sends, as a caller would leave out a field it does not give.
    /// </summary>
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        LedgerJson.Configure(options);
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static T Read<T>(HttpResult response) =>
        JsonSerializer.Deserialize<T>(response.Body, Options)
        ?? throw new Xunit.Sdk.XunitException($"the answer was empty where a {typeof(T).Name} was expected");

    public static T Read<T>(JsonElement element) =>
        element.Deserialize<T>(Options) ?? throw new Xunit.Sdk.XunitException($"null where a {typeof(T).Name} was expected");
}

public sealed partial class Scenarios
{
    /// <summary>GET as the given role; asserts 200 and reads the answer as the API's response type.</summary>
    public async Task<T> Get<T>(string url, string role = Roles.Reviewer) => await GetWithToken<T>(url, Token(role));

    /// <summary>GET with a token; asserts 200 and reads the answer as the API's response type.</summary>
    public async Task<T> GetWithToken<T>(string url, string token)
    {
        var response = await Get(url, token);
        if (response.StatusCode != 200)
            throw new Xunit.Sdk.XunitException($"GET {url} answered {response.StatusCode}: {await response.ReadAsTextAsync()}");
        return ApiJson.Read<T>(response);
    }

    /// <summary>POSTs a typed command, written with the API's JSON options.</summary>
    public Task<HttpResult> Post<TCommand>(string url, TCommand command, string? token, IDictionary<string, string>? headers = null)
        where TCommand : notnull =>
        Send(HttpMethod.Post, url, token, JsonContent.Create(command, options: ApiJson.Options), headers);

    /// <summary>
    /// A typed command to a rectification, at the case's current version (whatever version the command
    /// holds is replaced by the one just read).
    /// </summary>
    public async Task<JsonElement> Loop<TCommand>(Guid caseId, string action, TCommand command, string token, int status = 200)
        where TCommand : IVersionedCommand
    {
        var body = JsonSerializer.SerializeToNode(command, ApiJson.Options)!.AsObject();
        body["expectedVersion"] = await CaseVersion(caseId);
        return await Expect(await Post($"/api/rectifications/{caseId}/{action}", body, token), status);
    }
}

public sealed partial class Scenarios
{
    /// <summary>Asserts the status (showing the body when it differs) and reads the answer as the API's response type.</summary>
    public static async Task<T> Expect<T>(HttpResult response, int status)
    {
        await Expect(response, status);
        return ApiJson.Read<T>(response);
    }
}

public sealed partial class Scenarios
{
    /// <summary>Opens an identification decision from the Domain's command; returns its id.</summary>
    public async Task<Guid> OpenDecision(Ledger.Domain.Identification.OpenDecision command) =>
        (await Expect<Ledger.Api.Writes.WriteAnswer>(await Post("/api/decisions", command, PovertyOffice), 201)).Id;

    /// <summary>A household entry (or exit) decision of 2017, as the Domain's command.</summary>
    public static Ledger.Domain.Identification.OpenDecision HouseholdDecision(string household, Ledger.Domain.Identification.DecisionKind kind) =>
        new(Ledger.Domain.Identification.DecisionSubject.Household, kind, 2017, null, household, null, null, null);
}
