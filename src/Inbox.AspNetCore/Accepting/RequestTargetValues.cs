using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Inbox.AspNetCore.Accepting;

/// <summary>The route values and the query of a request, as the request fingerprint takes them.</summary>
internal static class RequestTargetValues
{
    /// <summary>
    /// The values of the route pattern's own parameters (not MVC's controller and action, which the pattern already
    /// fixes); an optional parameter that is absent is <see langword="null"/>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> RouteValuesOf(Endpoint? endpoint, HttpRequest request)
    {
        var parameters = (endpoint as RouteEndpoint)?.RoutePattern.Parameters;
        if (parameters is null || parameters.Count == 0)
        {
            return [];
        }

        var values = new KeyValuePair<string, string?>[parameters.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var name = parameters[i].Name;
            values[i] = new(name, request.RouteValues.TryGetValue(name, out var value)
                ? Convert.ToString(value, CultureInfo.InvariantCulture)
                : null);
        }

        return values;
    }

    /// <summary>
    /// The query as the binders read it: <see cref="HttpRequest.Query"/>, decoded (<c>%41</c> is <c>A</c>, <c>+</c> a
    /// space), one entry per name ignoring case, its values in the order sent. So the order of distinct names does not
    /// change the fingerprint (binders look parameters up by name, and a client may rebuild its query in another
    /// order), while the order of one name's values does (it binds to an array in that order).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> QueryOf(HttpRequest request)
    {
        if (!request.QueryString.HasValue)
        {
            return [];
        }

        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (name, values) in request.Query)
        {
            foreach (var value in values)
            {
                pairs.Add(new(name, value));
            }
        }

        return pairs;
    }
}
