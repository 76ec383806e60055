using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Ledger.Api.Auth;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace Ledger.Api.Http;

/// <summary>
/// Values an endpoint takes as parameters instead of reading them itself: the <see cref="Caller"/>
/// (from the validated token), <c>DateOnly today</c> (today in the county, from the injected
/// clock) and a <see cref="Write"/> (the one write path, with both). Wolverine generates the call
/// that makes each into the endpoint's code.
/// </summary>
public sealed class RequestValues : IParameterStrategy
{
    public static DateOnly Today(TimeProvider clock) => ChinaTime.Today(clock.GetUtcNow());

    public static Caller CallerOf(HttpContext context) => CallerClaims.From(context.User);

    public bool TryMatch(HttpChain chain, IServiceContainer container, ParameterInfo parameter, out Variable? variable)
    {
        MethodCall? call = null;
        if (parameter.ParameterType == typeof(Caller))
            call = new MethodCall(typeof(RequestValues), nameof(CallerOf));
        else if (parameter.ParameterType == typeof(DateOnly) && parameter.Name == "today")
            call = new MethodCall(typeof(RequestValues), nameof(Today));
        else if (parameter.ParameterType == typeof(Write))
            call = new MethodCall(typeof(Write), nameof(Write.For));
        variable = call?.ReturnVariable;
        return call is not null;
    }
}

/// <summary>
/// The refusals every route may answer, declared once for the API reference: problem details with
/// 400 (bad input), 403 (outside the caller's role or scope) and 404 (unknown id) on every route,
/// and 409 (state or version conflict) on every write.
/// </summary>
public sealed class ProblemResponses : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, JasperFx.CodeGeneration.GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            chain.Metadata.ProducesProblem(StatusCodes.Status400BadRequest);
            chain.Metadata.ProducesProblem(StatusCodes.Status403Forbidden);
            chain.Metadata.ProducesProblem(StatusCodes.Status404NotFound);
            if (chain.HttpMethods.Contains("POST")) chain.Metadata.ProducesProblem(StatusCodes.Status409Conflict);
        }
    }
}
