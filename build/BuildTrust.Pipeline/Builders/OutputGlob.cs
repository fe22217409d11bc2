using System.Text;
using System.Text.RegularExpressions;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// The <c>build.outputs</c> globs, each under <c>/out</c>: <c>**</c> matches any number of folders,
/// <c>*</c> and <c>?</c> stay within one path segment. Matched against paths relative to <c>/out</c>.
/// </summary>
public sealed class OutputGlob
{
    private const string Root = "/out/";
    private readonly Regex[] patterns;

    private OutputGlob(Regex[] patterns) => this.patterns = patterns;

    public static OutputGlob Parse(IReadOnlyList<string> globs)
    {
        ArgumentNullException.ThrowIfNull(globs);
        return new OutputGlob([.. globs.Select(ToRegex)]);
    }

    public bool Matches(string relativePath) => patterns.Any(pattern => pattern.IsMatch(relativePath));

    private static Regex ToRegex(string glob)
    {
        if (!glob.StartsWith(Root, StringComparison.Ordinal) || glob.Split('/').Contains(".."))
            throw new BuildInputException($"build.outputs: '{glob}' must be a glob under /out/ without '..'");
        var body = glob[Root.Length..];
        var regex = new StringBuilder("^");
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '*' && i + 1 < body.Length && body[i + 1] == '*')
            {
                var folderWildcard = i + 2 < body.Length && body[i + 2] == '/';
                regex.Append(folderWildcard ? "(?:.*/)?" : ".*");
                i += folderWildcard ? 2 : 1;
            }
            else if (body[i] == '*') regex.Append("[^/]*");
            else if (body[i] == '?') regex.Append("[^/]");
            else regex.Append(Regex.Escape(body[i].ToString()));
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
