using System.Text;

namespace BuildTrust.Demo.Policies;

/// <summary>Writes policy YAML for tests and the demo, so fixtures need not spell YAML by hand.</summary>
public sealed class PolicyBuilder
{
    private readonly StringBuilder _maintainers = new();
    private string _require = "hardware";
    private bool _userVerification;
    private int _reviews;
    private int _policyChanges = 1;
    private readonly StringBuilder _exemptions = new();

    public PolicyBuilder Maintainer(string id, string[] roles, params string[] keyLines) =>
        Maintainer(id, roles, null, keyLines.Select(k => (k, (DateOnly?)null)).ToArray());

    public PolicyBuilder Maintainer(string id, string[] roles, DateOnly? validUntil, params (string Key, DateOnly? ValidUntil)[] keys)
    {
        _maintainers.Append("  - id: ").Append(id).Append('\n');
        _maintainers.Append("    roles: [").Append(string.Join(", ", roles)).Append("]\n");
        _maintainers.Append("    keys:\n");
        foreach (var (key, keyValidUntil) in keys)
        {
            _maintainers.Append("      - ssh: \"").Append(key).Append("\"\n");
            if (keyValidUntil is not null) _maintainers.Append("        valid-until: ").Append(keyValidUntil.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }
        if (validUntil is not null) _maintainers.Append("    valid-until: ").Append(validUntil.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        return this;
    }

    /// <summary>A maintainer whose key is an OpenPGP key file, by path relative to the policy's directory.</summary>
    public PolicyBuilder OpenPgpMaintainer(string id, string[] roles, string keyFile)
    {
        _maintainers.Append("  - id: ").Append(id).Append('\n');
        _maintainers.Append("    roles: [").Append(string.Join(", ", roles)).Append("]\n");
        _maintainers.Append("    keys:\n      - openpgp: ").Append(keyFile).Append('\n');
        return this;
    }

    public PolicyBuilder Require(string require)
    {
        _require = require;
        return this;
    }

    public PolicyBuilder UserVerification(bool required = true)
    {
        _userVerification = required;
        return this;
    }

    public PolicyBuilder Reviews(int reviews, int policyChanges = 1)
    {
        _reviews = reviews;
        _policyChanges = policyChanges;
        return this;
    }

    public PolicyBuilder Exempt(string commit, string reason)
    {
        if (_exemptions.Length == 0) _exemptions.Append("  exempt:\n");
        _exemptions.Append("    - commit: ").Append(commit).Append("\n      reason: \"").Append(reason).Append("\"\n");
        return this;
    }

    public string ToYaml() =>
        $"version: 1\nmaintainers:\n{_maintainers}commits:\n  require: {_require}\n  user-verification: {(_userVerification ? "true" : "false")}\n" +
        $"  reviews: {_reviews}\n  policy-changes: {_policyChanges}\n{_exemptions}";

    public string WriteTo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, ToYaml());
        return path;
    }
}
