namespace Inbox.Samples.Api.Endpoints;

/// <summary>
/// Reads and validates a synchronous endpoint's JSON body in an endpoint filter placed before <c>WithIdempotency</c>,
/// so a body that is rejected is rejected before the claim and stores nothing: the same key can be sent again with a
/// corrected body. The handler reads the valid body with <see cref="Get{T}"/>.
/// </summary>
public static class ValidatedBody
{
    private static readonly object ItemKey = new();

    public static RouteHandlerBuilder WithValidatedBody<T>(this RouteHandlerBuilder builder, Action<List<FieldError>, T> validate)
        where T : class =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var (body, problem) = await JsonBody.ReadAsync<T>(context);
            if (problem is not null)
            {
                return problem;
            }

            var errors = new List<FieldError>();
            validate(errors, body!);
            if (errors.Count > 0)
            {
                return SampleErrors.Invalid(context, errors);
            }

            context.Items[ItemKey] = body;
            return await next(invocation);
        });

    public static T Get<T>(HttpContext context)
        where T : class =>
        context.Items[ItemKey] as T ?? throw new InvalidOperationException("The endpoint has no WithValidatedBody filter for this type.");
}
