using Inbox.Testing;

namespace Inbox.Chaos;

/// <summary>One logical submission: a route, a body and the key every one of its requests carries.</summary>
internal sealed record Submission(string Path, string Body, string Key)
{
    public static Submission Create(int index, string run)
    {
        var (path, body) = SampleStack.Submission(index);
        return new(path, body, KeyFor(run, index));
    }

    private static string KeyFor(string run, int index) => $"{run}-{index:D6}";
}
