using Microsoft.AspNetCore.WebUtilities;

namespace OpenWard.Server.Devices;

/// <summary>The Link header (RFC 8288) of one page of the fleet list: first, prev, next and last, each the same query on another page.</summary>
public static class FleetLinks
{
    /// <summary>The links from page <paramref name="page"/> of <paramref name="pages"/>.</summary>
    public static string For(HttpRequest request, int page, int pages)
    {
        var links = new List<string> { Link(request, 1, "first") };
        if (page > 1)
        {
            links.Add(Link(request, Math.Min(page - 1, pages), "prev"));
        }

        if (page < pages)
        {
            links.Add(Link(request, page + 1, "next"));
        }

        links.Add(Link(request, pages, "last"));
        return string.Join(", ", links);
    }

    private static string Link(HttpRequest request, int page, string relation)
    {
        var query = QueryHelpers.ParseQuery(request.QueryString.Value);
        query["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var target = QueryHelpers.AddQueryString(request.Path, query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))));
        return $"<{target}>; rel=\"{relation}\"";
    }
}
