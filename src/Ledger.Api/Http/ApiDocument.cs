using System.Reflection;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Wolverine.Http;

namespace Ledger.Api.Http;

/// <summary>
/// The conventions the OpenAPI document (<c>/openapi/v1.json</c>) is made by, in one place, so a
/// route added later is described like the rest without touching it (docs/api.md): who may call
/// (from the endpoint's authorization metadata), its feature tag (from the endpoint's namespace),
/// its operation id and summary (from the endpoint's class and method), and schemas whose
/// required members and nullability follow the C# records. The lint test (tests/Ledger.Tests/Contract)
/// fails when a route breaks them.
/// </summary>
public static class ApiDocument
{
    /// <summary>The name of the bearer security scheme (a JWT issued by <c>ledger token</c>).</summary>
    public const string Bearer = "bearer";

    /// <summary>A feature of the API: its tag (Chinese and English) and what it covers.</summary>
    public sealed record Feature(string Tag, string Description);

    /// <summary>
    /// The tag of each feature folder (the endpoint's namespace under <c>Ledger.Api</c>). A route in
    /// a folder not listed here is tagged with the bare folder name and no description, which the
    /// linters refuse: add the folder here.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Feature> Features = new Dictionary<string, Feature>
    {
        ["Registry"] = new("名录 Registry", "乡镇、村、单位名录的导入与查询。The registry of towns, villages and units: import and look-up."),
        ["Tips"] = new("举报 Tips", "群众举报的受理、查询、驳回与关联督查。Tips from the public: submission, status by receipt, dismissal, linking to an inspection."),
        ["Inspections"] = new("督查 Inspections", "督查方案、督查组、实地督查与督查发现。Inspections: the plan, the team, fieldwork, findings and funding checks."),
        ["Cases"] = new("案件 Cases", "督查发现形成的案件及其事件史。Cases (one per finding), their history and event exports."),
        ["Rectifications"] = new("整改 Rectification", "结果通报、签收、整改答复、验收、退回与延期。Rectification: notified results, acknowledgement, responses, acceptance, return and extensions."),
        ["Reports"] = new("督查报告 Reports", "督查报告的草稿与报送。Inspection reports: the draft and the submitted report."),
        ["Identification"] = new("贫困识别 Identification", "农户识别、评议、审批与识别准确率。Household identification: registration, assessment, decisions, reviews and accuracy."),
        ["Assessment"] = new("考核 Assessment", "考核细则、考核结果与发布。Assessment: rulebooks, scores of towns and units, publication."),
        ["Accountability"] = new("问责 Accountability", "乡镇、单位的责任落实与村情档案。Accountability of towns and units, and village profiles."),
        ["Reminders"] = new("提醒 Reminders", "催办、督办通知的收件箱。The inbox of reminders and escalations."),
        ["EvidenceFiles"] = new("佐证材料 Evidence", "佐证材料的上传、下载与照片缩略图。Evidence files: upload, download and photo thumbnails, by content hash."),
        ["FollowUp"] = new("跟踪问责 Follow-up", "回头看、约谈、通报批评与问题线索移交。Follow-up: re-checks of closed requirements, interviews, criticisms and leads handed to the discipline office."),
        ["Documents"] = new("公文 Documents", "督查通报、督查报告与汇总报告：草稿、印发（编号、冻结内容）与原样下载。Documents the county issues: drafts, issuing with a gapless number and frozen content, and downloads exactly as issued."),
        ["Accounts"] = new("账户 Accounts", "账户的开设、权限变更、停用，登录、退出与令牌。Accounts: opening, rights, disabling; signing in and out, and API tokens for an account."),
        ["Audit"] = new("审计 Audit", "防篡改账本：摘要、证明、树头、核验、审计包与被拒写入。The tamper-evident ledger: digests, proofs, tree heads, verification, audit bundles and refused writes."),
        ["Auth"] = new("令牌 Tokens", "令牌吊销。Access tokens: revocation."),
    };

    /// <summary>Registers the conventions with ASP.NET Core's OpenAPI document.</summary>
    public static void Configure(OpenApiOptions options, IConfiguration configuration)
    {
        // Who answers for this deployment (Ledger:Api:Contact:Name, :Email, :Url); by default the county's operators.
        var section = configuration.GetSection("Ledger:Api:Contact");
        var contact = new OpenApiContact
        {
            Name = section["Name"] ?? "台账运维 The ledger's operators (county poverty-alleviation office)",
            Email = section["Email"],
            Url = section["Url"] is { Length: > 0 } url ? new Uri(url) : null,
        };
        // The address clients reach the ledger at (Ledger:PublicUrl, e.g. behind the reverse proxy); else the request's own.
        var publicUrl = configuration["Ledger:PublicUrl"] is { Length: > 0 } given ? given.TrimEnd('/') : null;
        options.AddDocumentTransformer((document, _, _) => { Describe(document, contact, publicUrl); return Task.CompletedTask; });
        options.AddOperationTransformer((operation, context, _) => { Describe(operation, context); return Task.CompletedTask; });
        options.AddSchemaTransformer((schema, context, _) => { MarkRequired(schema, context.JsonTypeInfo); return Task.CompletedTask; });
    }

    private static void Describe(OpenApiDocument document, OpenApiContact contact, string? publicUrl)
    {
        document.Info = new OpenApiInfo
        {
            Title = "扶贫督查台账 Ledger API",
            Version = "v1",
            Description =
                "县级扶贫督查台账的接口：督查、发现、整改、考核与防篡改审计。每个请求只作用于令牌所属的县。\n\n" +
                "The API of a county's poverty-alleviation inspection ledger: inspections, findings, rectification, " +
                "assessment and a tamper-evident audit trail. Every request acts on the county of its token only. " +
                "Send the token as `Authorization: Bearer <token>` (issued with `ledger token`); routes marked without " +
                "security need none. Refusals are RFC 9457 problem details. Writes to an existing record carry its " +
                "`version`; a stale one is answered 409.",
            Contact = contact,
        };
        // The server: the configured public address, else the request's (behind a proxy, its forwarded address), without a trailing slash.
        document.Servers = publicUrl is not null
            ? [new OpenApiServer { Url = publicUrl }]
            : (document.Servers ?? []).Select(server => new OpenApiServer { Url = server.Url?.TrimEnd('/'), Description = server.Description }).ToList();
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "令牌 (JWT) issued by `ledger token --user <name> --role <role>`: it names the user, role, county and scope.",
        };
        // The tags the operations use, each once, described; in the order of the feature list.
        var used = (document.Paths?.Values.AsEnumerable() ?? []).SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>()).Select(t => t.Name).OfType<string>().ToHashSet();
        var order = Features.Values.Select(f => f.Tag).ToList();
        document.Tags = new HashSet<OpenApiTag>(used.OrderBy(t => order.IndexOf(t) is var i and >= 0 ? i : int.MaxValue).ThenBy(t => t, StringComparer.Ordinal)
            .Select(t => new OpenApiTag { Name = t, Description = Features.Values.FirstOrDefault(f => f.Tag == t)?.Description }));
        RemoveUnusedSchemas(document);
    }

    /// <summary>Schemas nothing refers to any more (those of <c>IResult</c> answers replaced above) are left out.</summary>
    private static void RemoveUnusedSchemas(OpenApiDocument document)
    {
        if (document.Components?.Schemas is not { Count: > 0 } schemas) return;
        while (true)
        {
            using var text = new StringWriter();
            var saved = schemas.ToDictionary(s => s.Key, s => s.Value);
            // References from everything but the components' schemas themselves…
            document.Components.Schemas = new Dictionary<string, IOpenApiSchema>();
            document.SerializeAsV31(new OpenApiJsonWriter(text));
            document.Components.Schemas = schemas = saved;
            var referenced = new HashSet<string>(ReferencesIn(text.ToString()));
            // …and from the schemas they reach.
            var pending = new Queue<string>(referenced);
            while (pending.TryDequeue(out var name))
            {
                if (!schemas.TryGetValue(name, out var schema)) continue;
                using var inner = new StringWriter();
                schema.SerializeAsV31(new OpenApiJsonWriter(inner));
                foreach (var next in ReferencesIn(inner.ToString()))
                    if (referenced.Add(next)) pending.Enqueue(next);
            }
            var unused = schemas.Keys.Where(k => !referenced.Contains(k)).ToList();
            if (unused.Count == 0) return;
            foreach (var name in unused) schemas.Remove(name);
        }
    }

    private static IEnumerable<string> ReferencesIn(string json) =>
        System.Text.RegularExpressions.Regex.Matches(json, "\"#/components/schemas/([^\"]+)\"").Select(m => m.Groups[1].Value);

    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var description = context.Description;
        var chain = (description.ActionDescriptor as WolverineActionDescriptor)?.Chain;
        var method = chain?.Method.Method;
        var handler = chain?.Method.HandlerType;

        var folder = FolderOf(handler);
        if (folder is not null)
            operation.Tags = new HashSet<OpenApiTagReference> { new(Features.TryGetValue(folder, out var feature) ? feature.Tag : folder, context.Document) };
        if (handler is not null && method is not null)
        {
            var id = OperationId(handler, method, description);
            operation.OperationId = id;
            operation.Summary = Words(id);
        }

        Answers(operation, description.RelativePath ?? "");
        if (description.ParameterDescriptions.FirstOrDefault(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body)?.Type is { } body
            && Examples.TryGetValue(body, out var example)
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true)
            json.Example = System.Text.Json.Nodes.JsonNode.Parse(example);

        var metadata = MetadataOf(description, method, handler);
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var roles = metadata.OfType<IAuthorizeData>().SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct().ToList();
        if (anonymous)
            operation.Security = [];   // an empty list: no token needed, whatever the document's default
        else
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];

        var who = anonymous
            ? "任何人，无需令牌。Anyone, without a token."
            : roles.Count > 0
                ? $"角色 Roles: {string.Join(", ", roles)}. 只作用于令牌所属的县，超出范围的记录答 404。Acts on the token's county only; a record outside the caller's scope is answered 404."
                : "任何持有效令牌者。Anyone with a valid token; acts on the token's county only.";
        var doc = method is null ? null : XmlDocs.SummaryOf(method) ?? (handler is null ? null : XmlDocs.SummaryOf(handler));
        operation.Description = doc is null ? who : $"{doc}\n\n{who}";
    }

    /// <summary>Schemas that say nothing about the answer: an endpoint that returns <c>IResult</c> or a file result.</summary>
    private static readonly string[] Opaque = ["IResult", "FileContentResult", "FileStreamResult", "PhysicalFileResult"];

    /// <summary>Media types of downloads, by the route's extension.</summary>
    private static readonly IReadOnlyDictionary<string, string> Downloads = new Dictionary<string, string>
    {
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".ndjson"] = "application/x-ndjson",
        [".csv"] = "text/csv",
        [".zip"] = "application/zip",
    };

    /// <summary>
    /// One answer per outcome: an <c>IResult</c> endpoint's generic 200 is dropped where its attributes
    /// declare the real success answer (201 with a body); where they declare none, the 200 is a
    /// download: its media type from the route's extension (<c>.xlsx</c>, <c>.ndjson</c>), a JPEG for a <c>/thumbnail</c>, else bytes.
    /// </summary>
    private static void Answers(OpenApiOperation operation, string route)
    {
        if (operation.Responses is not { } responses) return;
        static bool IsOpaque(IOpenApiResponse response) =>
            response.Content?.Values.Any(c => c.Schema is OpenApiSchemaReference { Reference.Id: { } id } && Opaque.Contains(id)) == true;
        var successes = responses.Where(r => r.Key.StartsWith('2')).ToList();
        foreach (var (status, response) in successes.Where(r => IsOpaque(r.Value)))
        {
            if (successes.Any(other => other.Key != status && !IsOpaque(other.Value)))
            {
                responses.Remove(status);
                continue;
            }
            var extension = Path.GetExtension(route);
            var mediaType = route.EndsWith("/thumbnail", StringComparison.Ordinal) ? "image/jpeg"
                : Downloads.TryGetValue(extension, out var known) ? known : "application/octet-stream";
            responses[status] = new OpenApiResponse
            {
                Description = response.Description ?? "OK",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [mediaType] = new OpenApiMediaType
                    {
                        Schema = mediaType == "application/x-ndjson" || mediaType == "text/csv"
                            ? new OpenApiSchema { Type = JsonSchemaType.String }
                            : new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                    },
                },
            };
        }
    }

    /// <summary>Examples of the main requests, by command type (the linters check each against its schema).</summary>
    public static readonly IReadOnlyDictionary<Type, string> Examples = new Dictionary<Type, string>
    {
        [typeof(Ledger.Domain.Inspections.PlanInspection)] = """
            {"kind":"comprehensive","year":2017,"towns":["440233100","440233101"],"units":["wt-100"],"contentAreas":[1,4],
             "responsibilities":[{"item":"核查资金使用","owner":"督查组组长"}],"taskRequirements":["每个镇至少走访3个村"],
             "plannedStart":"2017-07-01","plannedEnd":"2017-07-15","crossInspection":false}
            """,
        [typeof(Ledger.Domain.Inspections.FormTeam)] = """
            {"expectedVersion":1,"leader":{"user":"wang.leader","name":"王组长","unitCode":"czj"},
             "members":[{"user":"li.member","name":"李组员","unitCode":"sjj"}]}
            """,
        [typeof(Ledger.Domain.Inspections.StartFieldwork)] = """{"expectedVersion":2,"startedOn":"2017-07-02"}""",
        [typeof(Ledger.Domain.Inspections.RecordFinding)] = """
            {"town":"440233100","village":"440233100201","area":4,"method":"field-investigation","severity":"serious",
             "description":"贫困户识别公示期不足7天","evidence":[{"title":"公示照片","kind":"photo"}],"observedOn":"2017-07-03"}
            """,
        [typeof(Ledger.Domain.Tips.SubmitTip)] = """
            {"county":"440233","description":"村里的危房改造补助没有发到户","town":"440233100","village":"440233100201","contact":"13800000000"}
            """,
    };

    /// <summary>The feature folder of an endpoint class: its namespace under <c>Ledger.Api</c>.</summary>
    public static string? FolderOf(Type? handler) =>
        handler?.Namespace is { } ns && ns.StartsWith("Ledger.Api.", StringComparison.Ordinal) ? ns["Ledger.Api.".Length..].Split('.')[0] : null;

    /// <summary>
    /// The operation id: the one the route's attribute gives (<c>OperationId = "…"</c>), else made from
    /// the endpoint class: its name without <c>Endpoint</c> for a class of one route
    /// (<c>PlanInspectionEndpoint</c> → <c>planInspection</c>); for a class of several, the method's
    /// verb and the class's noun (<c>GetTowns.List</c> → <c>listTowns</c>, <c>GetTowns.Get</c> on
    /// <c>/api/towns/{code}</c> → <c>getTown</c>, <c>GetCase.History</c> → <c>getCaseHistory</c>).
    /// </summary>
    public static string OperationId(Type handler, MethodInfo method, ApiDescription description)
    {
        if (method.GetCustomAttribute<WolverineHttpMethodAttribute>()?.OperationId is { Length: > 0 } given) return given;
        var name = handler.Name.EndsWith("Endpoint", StringComparison.Ordinal) ? handler.Name[..^"Endpoint".Length] : handler.Name;
        var routes = handler.GetMethods(BindingFlags.Public | BindingFlags.Static).Count(m => m.GetCustomAttribute<WolverineHttpMethodAttribute>() is not null);
        if (routes <= 1) return Camel(name);

        var noun = StripVerb(name);
        var verbs = new[] { "Get", "List", "Post", "Put", "Delete", "Export" };
        if (verbs.Contains(method.Name))
        {
            var single = method.Name == "Get" && (description.RelativePath ?? "").TrimEnd('/').EndsWith('}');
            return Camel(method.Name + (single ? Singular(noun) : noun));
        }
        var httpVerb = description.HttpMethod?.ToUpperInvariant() == "GET" ? "Get" : "Post";
        return Camel(httpVerb + noun + method.Name);
    }

    private static string StripVerb(string name)
    {
        foreach (var verb in new[] { "Get", "List" })
            if (name.Length > verb.Length && name.StartsWith(verb, StringComparison.Ordinal) && char.IsUpper(name[verb.Length])) return name[verb.Length..];
        return name;
    }

    private static string Singular(string noun) =>
        noun.EndsWith("ies", StringComparison.Ordinal) ? noun[..^3] + "y"
        : noun.EndsWith("ss", StringComparison.Ordinal) ? noun
        : noun.EndsWith('s') ? noun[..^1] : noun;

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary><c>getCaseHistory</c> → "Get case history".</summary>
    public static string Words(string id)
    {
        var text = new StringBuilder();
        for (var i = 0; i < id.Length; i++)
        {
            if (i > 0 && char.IsUpper(id[i]) && !char.IsUpper(id[i - 1])) text.Append(' ');
            text.Append(i == 0 ? char.ToUpperInvariant(id[i]) : char.ToLowerInvariant(id[i]));
        }
        return text.ToString();
    }

    /// <summary>Authorization metadata: the endpoint's, and the attributes of its method and class.</summary>
    private static IEnumerable<object> MetadataOf(ApiDescription description, MethodInfo? method, Type? handler) =>
        (description.ActionDescriptor.EndpointMetadata ?? [])
        .Concat(method?.GetCustomAttributes(inherit: true) ?? [])
        .Concat(handler?.GetCustomAttributes(inherit: true) ?? []);

    /// <summary>
    /// Required members follow the record: a member whose type is not nullable and that has no default
    /// is required; a nullable member (or one with a default) may be left out; a computed member
    /// (getter only) is read-only.
    /// </summary>
    private static void MarkRequired(OpenApiSchema schema, JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || schema.Properties is not { Count: > 0 } properties) return;
        var required = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in type.Properties)
        {
            if (!properties.ContainsKey(property.Name)) continue;
            var written = property.Set is not null || property.AssociatedParameter is not null;
            var nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null
                           || (property.Get is not null && property.IsGetNullable) || (written && property.IsSetNullable);
            var hasDefault = property.AssociatedParameter is { HasDefaultValue: true };
            // A computed member (a label from a code) is always answered but never sent: read-only, not required of a sender.
            if (!written && properties[property.Name] is OpenApiSchema computed) computed.ReadOnly = true;
            if (!nullable && !hasDefault && written) required.Add(property.Name);
            // A member that is never null is not described as "or null".
            if (!nullable && properties[property.Name] is OpenApiSchema { Type: { } kinds } member && kinds.HasFlag(JsonSchemaType.Null) && kinds != JsonSchemaType.Null)
                member.Type = kinds & ~JsonSchemaType.Null;
        }
        schema.Required = required.Count > 0 ? required : null;
    }
}

/// <summary>The XML documentation of the API's own endpoints (Ledger.Api.xml, next to the assembly), when present.</summary>
internal static class XmlDocs
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Members = new(Load);

    public static string? SummaryOf(MethodInfo method) =>
        Members.Value.TryGetValue($"M:{method.DeclaringType?.FullName?.Replace('+', '.')}.{method.Name}", out var text) ? text
        : Members.Value.FirstOrDefault(m => m.Key.StartsWith($"M:{method.DeclaringType?.FullName?.Replace('+', '.')}.{method.Name}(", StringComparison.Ordinal)).Value;

    public static string? SummaryOf(Type type) =>
        Members.Value.TryGetValue($"T:{type.FullName?.Replace('+', '.')}", out var text) ? text : null;

    private static IReadOnlyDictionary<string, string> Load()
    {
        var path = Path.ChangeExtension(typeof(XmlDocs).Assembly.Location, ".xml");
        if (!File.Exists(path)) return new Dictionary<string, string>();
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in System.Xml.Linq.XDocument.Load(path).Descendants("member"))
        {
            if (member.Attribute("name")?.Value is not { } name || member.Element("summary") is not { } summary) continue;
            var text = string.Concat(summary.Nodes().Select(node => node switch
            {
                System.Xml.Linq.XElement { Name.LocalName: "see" or "paramref" or "typeparamref" } e =>
                    (e.Attribute("cref") ?? e.Attribute("name") ?? e.Attribute("langword"))?.Value.Split(':', '.').Last() ?? e.Value,
                System.Xml.Linq.XElement { Name.LocalName: "c" } e => $"`{e.Value}`",
                System.Xml.Linq.XElement e => e.Value,
                System.Xml.Linq.XText t => t.Value,
                _ => "",
            }));
            members[name] = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
        return members;
    }
}
