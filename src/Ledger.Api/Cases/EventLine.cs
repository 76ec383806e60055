using JasperFx.Events;
using Ledger.Api.Auth;
using Ledger.Domain.Common;

namespace Ledger.Api.Cases;

/// <summary>One event as a reviewer reads it: what, its Chinese name, when, who, and where in the ledger.</summary>
public sealed record EventLine(
    long Sequence, string Stream, Guid StreamId, long Version, string Type, string Label, DateTimeOffset Timestamp,
    string? User, string? Role, string? CorrelationId, object Data)
{
    public static EventLine From(IEvent e, string stream) => new(
        e.Sequence, stream, e.StreamId, e.Version, e.EventTypeName, EventLabels.Of(e.EventType), e.Timestamp, e.UserName,
        e.Headers?.GetValueOrDefault(ActorMiddleware.RoleHeader)?.ToString(), e.CorrelationId, e.Data);
}
