using System.Reflection;

namespace Inbox.Testing;

/// <summary>Where the repository and the built samples are.</summary>
public static class SamplePaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Inbox.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Inbox.sln was not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The build configuration of the running tests, which the samples were built with too.</summary>
    public static string Configuration =>
        typeof(SamplePaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The built dll of a sample project.</summary>
    public static string Dll(string project)
    {
        var path = Path.Combine(RepositoryRoot, "samples", project, "bin", Configuration, "net10.0", project + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{project} is not built ({path}): build Inbox.sln in {Configuration} first.", path);
    }
}
