using System.Text.RegularExpressions;
using Inbox.Testing;

namespace Inbox.Samples.Tests;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine); this keeps it honest against what the distributed
/// test runs: the same configuration keys, the services, the replicas and the Dockerfiles it builds.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string Compose = File.ReadAllText(Path.Combine(SamplePaths.RepositoryRoot, "docker-compose.yml"));

    [Fact]
    public void Compose_gives_api_and_workers_the_configuration_the_distributed_test_uses()
    {
        foreach (var key in SampleStack.Configuration("x", new Uri("amqp://x/"), new Uri("http://x/")).Keys)
        {
            Assert.Matches(new Regex($@"^\s+{Regex.Escape(key)}: \S", RegexOptions.Multiline), Compose);
        }

        Assert.Contains("Messaging__Transport: RabbitMq", Compose);
        Assert.Contains("Database__Provider: ${INBOX_DATABASE_PROVIDER:-PostgreSql}", Compose);
    }

    [Fact]
    public void Compose_runs_every_part_of_the_production_shape()
    {
        foreach (var service in new[] { "rabbitmq", "postgres", "sqlserver", "dashboard", "downstream", "api", "worker" })
        {
            Assert.Matches(new Regex($@"^  {service}:\s*$", RegexOptions.Multiline), Compose);
        }

        Assert.Contains("replicas: 2", Compose);
        Assert.Contains("rabbitmq:3.13-management", Compose);
    }

    [Fact]
    public void Every_dockerfile_compose_builds_exists_and_publishes_its_project()
    {
        var dockerfiles = Regex.Matches(Compose, @"dockerfile: (?<path>\S+)").Select(m => m.Groups["path"].Value).ToArray();

        Assert.Equal(3, dockerfiles.Length);
        foreach (var dockerfile in dockerfiles)
        {
            var text = File.ReadAllText(Path.Combine(SamplePaths.RepositoryRoot, dockerfile));
            var project = Path.GetFileName(Path.GetDirectoryName(dockerfile))!;
            Assert.Contains($"dotnet publish samples/{project}/{project}.csproj", text);
            Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]", text);
        }
    }
}
