using Ledger.Domain.Access;
using System.Text.Json;
using Ledger.Api.Auth;

namespace Ledger.Tests.Fixtures;

/// <summary>Households and identification decisions, built through the API.</summary>
public sealed partial class Scenarios
{
    public string PovertyOffice => fixture.Token(Roles.PovertyOffice, "扶贫办陈");

    /// <summary>A household registered in a village, with its income and three guarantees assessed for a year.</summary>
    public async Task Household(string code, string village = "440233100201", int size = 4, decimal income = 3000m,
        bool allGuarantees = false, int year = 2017, string? idNumber = null)
    {
        await Expect(await PostJson("/api/households", new { code, village, headName = "张三丰", size, idNumber }, PovertyOffice), 201);
        await Expect(await PostJson($"/api/households/{code}/assessments", new
        {
            expectedVersion = 1, year, perCapitaIncome = income,
            guarantees = new { schooling = true, medical = allGuarantees, housing = true },
        }, PovertyOffice), 200);
    }

    public async Task<Guid> OpenDecision(object body)
    {
        var response = await PostJson("/api/decisions", body, PovertyOffice);
        return (await Expect(response, 201)).GetProperty("id").GetGuid();
    }

    /// <summary>Records steps in order; each step: (step, date, extra fields). Returns the last answer.</summary>
    public async Task<JsonElement> Steps(Guid decision, params (string Step, string Date, object? Extra)[] steps)
    {
        JsonElement last = default;
        var version = (await GetJson($"/api/decisions/{decision}")).GetProperty("version").GetInt64();
        foreach (var (step, date, extra) in steps)
        {
            var body = new Dictionary<string, object?> { ["expectedVersion"] = version, ["step"] = step, ["date"] = date };
            if (extra is not null)
                foreach (var p in extra.GetType().GetProperties()) body[p.Name] = p.GetValue(extra);
            last = await Expect(await PostJson($"/api/decisions/{decision}/steps", body, PovertyOffice), 200);
            version = last.GetProperty("version").GetInt64();
        }
        return last;
    }

    public static readonly (string, string, object?)[] CleanEntrySteps =
    [
        ("application", "2017-03-01", null),
        ("democratic-review", "2017-03-05", new { attended = 20, eligible = 25 }),
        ("village-notice", "2017-03-06", new { noticeEnd = "2017-03-12" }),
        ("town-review", "2017-03-15", null),
        ("second-notice", "2017-03-16", new { noticeEnd = "2017-03-22" }),
        ("county-approval", "2017-03-25", null),
        ("registry-entry", "2017-03-28", null),
    ];

    public static readonly (string, string, object?)[] CleanExitSteps =
    [
        ("democratic-review", "2017-10-05", new { attended = 18, eligible = 24 }),
        ("verification", "2017-10-08", null),
        ("household-consent", "2017-10-09", null),
        ("village-notice", "2017-10-10", new { noticeEnd = "2017-10-16", objections = 0 }),
        ("county-approval", "2017-10-20", null),
        ("registry-removal", "2017-10-25", null),
    ];

    /// <summary>A household that went through a clean entry in 2017, assessed again at exit-level income.</summary>
    public async Task EnrolledHousehold(string code, string village = "440233100201", int size = 4, decimal exitIncome = 8000m)
    {
        await Household(code, village, size);
        var entry = await OpenDecision(new { subject = "household", kind = "entry", year = 2017, household = code });
        await Steps(entry, CleanEntrySteps);
        await Expect(await PostJson($"/api/households/{code}/assessments", new
        {
            expectedVersion = 2, year = 2017, perCapitaIncome = exitIncome,
            guarantees = new { schooling = true, medical = true, housing = true },
        }, PovertyOffice), 200);
    }
}
