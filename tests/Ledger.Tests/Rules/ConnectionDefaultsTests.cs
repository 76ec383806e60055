using Ledger.Api.Setup;
using Npgsql;

namespace Ledger.Tests.Rules;

public sealed class ConnectionDefaultsTests
{
    [Fact]
    public void Pooled_sessions_are_kept_and_statements_prepared_unless_the_string_says_otherwise()
    {
        var tuned = new NpgsqlConnectionStringBuilder(LedgerHost.Tuned("Host=db;Database=ledger"));
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(100, tuned.MaxAutoPrepare);
        Assert.Equal("db", tuned.Host);

        var chosen = new NpgsqlConnectionStringBuilder(LedgerHost.Tuned("Host=db;No Reset On Close=false;MaxAutoPrepare=0"));
        Assert.False(chosen.NoResetOnClose);
        Assert.Equal(0, chosen.MaxAutoPrepare);
    }
}
