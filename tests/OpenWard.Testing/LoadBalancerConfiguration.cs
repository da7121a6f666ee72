using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using OpenWard.Tests.Shared;

namespace OpenWard.Testing;

/// <summary>
/// The shipped HAProxy configuration (<c>deploy/haproxy/openward.cfg</c>) rendered for nodes on
/// loopback, as a deployer fills it in for theirs: each frontend's <c>bind</c> and each node's
/// <c>server</c> address replaced, every other line kept. Only what needs a machine set up for a
/// service (chroot, the haproxy user, the system log and stats sockets, file descriptors for a whole
/// ward's connections) is replaced by what runs unprivileged in a test's own folder.
/// </summary>
public static partial class LoadBalancerConfiguration
{
    /// <summary>The shipped file, in the checkout.</summary>
    public static string ShippedPath { get; } = Path.Combine(RepositoryFolders.Root, "deploy", "haproxy", "openward.cfg");

    /// <summary>
    /// The shipped file with each frontend bound on loopback at <paramref name="frontends"/>[shipped port]
    /// and server <c>nodeN</c> at 127.0.0.1:<paramref name="nodes"/>[N-1][shipped port]; servers for nodes
    /// beyond those given are left out. The stats socket goes in <paramref name="runDirectory"/>.
    /// A port the maps do not name fails: the test must learn of a listener added to the shipped file.
    /// </summary>
    public static string Render(
        string shipped, IReadOnlyDictionary<int, int> frontends, IReadOnlyList<IReadOnlyDictionary<int, int>> nodes, string runDirectory)
    {
        var rendered = new StringBuilder();
        foreach (var line in shipped.Split('\n'))
        {
            var words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var keyword = words.Length == 0 ? "" : words[0];
            switch (keyword)
            {
                case "chroot" or "user" or "group":
                    continue;
                case "stats" when words.Length > 1 && words[1] == "socket":
                    rendered.Append(CultureInfo.InvariantCulture, $"    stats socket {StatsSocket(runDirectory)} mode 600 level admin\n");
                    continue;
                case "maxconn":
                    // The global limit: a whole ward's needs more file descriptors than a test machine may give.
                    rendered.Append("    maxconn 1000\n");
                    continue;
                case "log" when words.Length > 1 && words[1].StartsWith('/'):
                    rendered.Append("    log stderr format raw local0 info\n");
                    continue;
                case "bind":
                    rendered.Append(CultureInfo.InvariantCulture, $"    bind 127.0.0.1:{Mapped(frontends, Port(words[1]), line)}\n");
                    continue;
                case "server":
                    var node = int.Parse(NodeNumber().Match(words[1]).Groups[1].Value, CultureInfo.InvariantCulture);
                    if (node <= nodes.Count)
                    {
                        var port = Mapped(nodes[node - 1], Port(words[2]), line);
                        rendered.Append(CultureInfo.InvariantCulture, $"    server {words[1]} 127.0.0.1:{port} {string.Join(' ', words.Skip(3))}\n");
                    }

                    continue;
                default:
                    rendered.Append(line).Append('\n');
                    continue;
            }
        }

        return rendered.ToString();
    }

    /// <summary>Where the rendered configuration's stats socket is.</summary>
    public static string StatsSocket(string runDirectory) => Path.Combine(runDirectory, "admin.sock");

    private static int Port(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    private static int Mapped(IReadOnlyDictionary<int, int> ports, int shipped, string line) =>
        ports.TryGetValue(shipped, out var port) ? port : throw new InvalidOperationException($"no loopback port given for {shipped} in: {line.Trim()}");

    [GeneratedRegex("^node([0-9]+)$")]
    private static partial Regex NodeNumber();
}
