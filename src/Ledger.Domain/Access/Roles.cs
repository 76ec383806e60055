namespace Ledger.Domain.Access;

/// <summary>The roles a token can carry. Who may do what per route is enforced on each endpoint.</summary>
public static class Roles
{
    /// <summary>县委督查室: plans inspections, forms teams, notifies results; reads all.</summary>
    public const string InspectionOffice = "inspection-office";
    /// <summary>县扶贫办: plans inspections and notifies results too (Art. 10(1)); registry, rulebooks, verification of rectification, assessments; reads all.</summary>
    public const string PovertyOffice = "poverty-office";
    /// <summary>督查组成员: records findings in inspections whose team they are on.</summary>
    public const string Inspector = "inspector";
    /// <summary>被督查单位: a town or unit answering for itself; its token carries a scope.</summary>
    public const string Respondent = "respondent";
    /// <summary>纪检监察: reads everything; writes only the receipt and outcome of leads handed over to it (线索移交).</summary>
    public const string Reviewer = "reviewer";
    /// <summary>账户管理员: manages the county's accounts (create, change rights, disable, reset a password) and nothing else; reads no case.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [InspectionOffice, PovertyOffice, Inspector, Respondent, Reviewer, Admin];

    /// <summary>Roles that may read every case of the county.</summary>
    public const string ReadAll = $"{InspectionOffice},{PovertyOffice},{Reviewer}";
    /// <summary>Any signed-in role.</summary>
    public const string Anyone = $"{InspectionOffice},{PovertyOffice},{Inspector},{Respondent},{Reviewer}";
    /// <summary>Any signed-in account, the administrator included (who am I, sign-out, own API token).</summary>
    public const string AnyAccount = $"{Anyone},{Admin}";

    /// <summary>The Chinese name of a role, as the pages show it.</summary>
    public static string LabelOf(string role) => role switch
    {
        InspectionOffice => "县委督查室",
        PovertyOffice => "县扶贫办",
        Inspector => "督查组成员",
        Respondent => "被督查单位",
        Reviewer => "纪检监察",
        Admin => "账户管理员",
        _ => role,
    };
}
