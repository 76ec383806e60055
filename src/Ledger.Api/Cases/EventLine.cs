using JasperFx.Events;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;

namespace Ledger.Api.Cases;

/// <summary>One event as a reviewer reads it: what, its Chinese name, when, who, and where in the ledger.</summary>
public sealed record EventLine(
    long Sequence, string Stream, Guid StreamId, long Version, string Type, string Label, DateTimeOffset Timestamp,
    string? User, string? Role, string? CorrelationId, object Data)
{
    public static EventLine From(IEvent e, string stream) => new(
        e.Sequence, stream, e.StreamId, e.Version, e.EventTypeName, EventLabels.Of(e.EventType), e.Timestamp, e.UserName,
        e.Headers?.GetValueOrDefault(ActorMiddleware.RoleHeader)?.ToString(), e.CorrelationId, Shown(e.Data));

    /// <summary>
    /// An event's data as it may be shown: an ID number masked by an earlier, looser rule is masked
    /// again (the stored event is unchanged, so its seal and chain still verify).
    /// </summary>
    public static object Shown(object data) => data switch
    {
        HouseholdRegistered { IdNumberMasked: { } masked } registered => registered with { IdNumberMasked = Masking.IdNumber(masked) },
        _ => data,
    };
}
