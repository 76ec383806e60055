namespace Ledger.Domain.Common;

/// <summary>
/// A command that writes to an existing stream carries the version its caller last read; the API
/// also takes it from <c>If-Match</c>. A stale version is refused with 409.
/// </summary>
public interface IVersionedCommand
{
    long? ExpectedVersion { get; }
}
