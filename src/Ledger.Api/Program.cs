using JasperFx;
using Ledger.Api.Cli;
using Ledger.Api.Setup;

// Our own commands first (token, registry import); everything else goes to the JasperFx command
// line (run the web host by default; also `projections --rebuild`, `codegen`, `db-apply`, ...).
if (await LedgerCommands.TryRunAsync(args) is { } exitCode) return exitCode;

var builder = WebApplication.CreateBuilder(args);
builder.AddLedger();
var app = builder.Build();
app.UseLedger();
return await app.RunJasperFxCommands(args);

/// <summary>Exposed for the integration tests' AlbaHost.</summary>
public partial class Program;
