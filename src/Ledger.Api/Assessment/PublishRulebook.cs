using Ledger.Api.Writes;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Domain.Assessment;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Assessment;

public static class PublishRulebookEndpoint
{
    public static Guid StreamOf(string county, int year) => PublishRulebook.StreamOf(county, year);

    /// <summary>发布考核细则: a new version of the year's rulebook; a bad one is refused with every reason.</summary>
    [WolverinePost("/api/rulebooks")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(201)]
    public static Task<IResult> Post(Rulebook rulebook, Write write)
    {
        var id = StreamOf(write.County, rulebook.Year);
        return write.ToKnown<PublishedRulebooks>(id, (current, _) => PublishRulebook.Decide(id, rulebook, current, write.Caller, write.Today),
            $"/api/rulebooks/{rulebook.Year}");
    }
}

public sealed record RulebookAnswer(int Year, int? Version, bool IsDefault, Rulebook Rulebook, IReadOnlyList<RulebookVersion> Versions);

public sealed record RulebookVersion(int Version, string Name, string PublishedBy, DateOnly PublishedOn);

public static class GetRulebook
{
    /// <summary>The rulebook in force for a year (the latest published, else the default), and its versions.</summary>
    public static async Task<(Rulebook Rulebook, int? Version, IReadOnlyList<RulebookPublished> All)> InForceAsync(
        IQuerySession session, int year, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(PublishRulebookEndpoint.StreamOf(session.TenantId, year), token: ct);
        var all = events.Select(e => (RulebookPublished)e.Data).ToList();
        return all.Count == 0 ? (Rulebook.Default(year), null, all) : (all[^1].Rulebook, all[^1].Version, all);
    }

    [WolverineGet("/api/rulebooks/{year}")]
    [Authorize(Roles = Roles.Anyone)]
    public static async Task<RulebookAnswer> Get(int year, IQuerySession session, CancellationToken ct)
    {
        var (rulebook, version, all) = await InForceAsync(session, year, ct);
        return new RulebookAnswer(year, version, version is null, rulebook,
            all.Select(p => new RulebookVersion(p.Version, p.Rulebook.Name, p.PublishedBy, p.PublishedOn)).ToList());
    }
}
