using System.Diagnostics;

namespace Inbox.Benchmarks;

/// <summary>
/// CPU time spent by this process, PostgreSQL and RabbitMQ during a run (Linux /proc), so a table can say what
/// a message costs on each side and what limits the throughput.
/// </summary>
public sealed class CpuMeter
{
    private static readonly long TicksPerSecond = 100; // USER_HZ on Linux
    private readonly (TimeSpan Self, double Postgres, double Rabbit) _start = Read();

    public static bool Available => OperatingSystem.IsLinux() && Directory.Exists("/proc");

    /// <summary>CPU microseconds per item: this process, PostgreSQL, RabbitMQ.</summary>
    public (double Self, double Postgres, double Rabbit) PerItem(int items)
    {
        var end = Read();
        double Per(double seconds) => items == 0 ? 0 : seconds * 1_000_000 / items;
        return (Per((end.Self - _start.Self).TotalSeconds), Per(end.Postgres - _start.Postgres), Per(end.Rabbit - _start.Rabbit));
    }

    private static (TimeSpan Self, double Postgres, double Rabbit) Read()
    {
        if (!Available)
        {
            return (TimeSpan.Zero, 0, 0);
        }

        var postgres = 0.0;
        var rabbit = 0.0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var seconds = (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) +
                               long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / (double)TicksPerSecond;
                if (name == "postgres")
                {
                    postgres += seconds;
                }
                else if (name is "beam.smp" or "erl_child_setup")
                {
                    rabbit += seconds;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return (Process.GetCurrentProcess().TotalProcessorTime, postgres, rabbit);
    }
}
