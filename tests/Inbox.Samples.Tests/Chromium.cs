namespace Inbox.Samples.Tests;

/// <summary>
/// The browser of the browser tests: Debian's <c>chromium</c> (installed by <c>eng/test.sh</c>), or the binary
/// <c>INBOX_TEST_CHROMIUM</c> names. Playwright only drives it; it never downloads a browser of its own.
/// </summary>
internal static class Chromium
{
    public const string Variable = "INBOX_TEST_CHROMIUM";

    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary>
    /// The Chromium binary. Without one the test is skipped, with the reason, except under CI (<c>CI=true</c>),
    /// where the browser test is required and fails instead.
    /// </summary>
    public static string Require()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        var path = string.IsNullOrWhiteSpace(configured) ? Candidates.FirstOrDefault(File.Exists) : configured.Trim();
        if (path is not null && File.Exists(path))
        {
            return path;
        }

        var reason = $"No Chromium for the browser test: install Debian's chromium (apt-get install -y chromium, which `bash eng/test.sh` does) " +
            $"or set {Variable} to a Chromium binary{(path is null ? "" : $" ({path} does not exist)")}.";
        if (IsCi)
        {
            throw new InvalidOperationException(reason + " CI=true: the browser test is required there, so it fails rather than skips.");
        }

        throw new SkipException(reason);
    }

    private static bool IsCi => Environment.GetEnvironmentVariable("CI") is { } ci
        && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");
}
