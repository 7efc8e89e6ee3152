namespace Inbox.Background;

/// <summary>The defaults of <see cref="InboxStoreOptions"/>.</summary>
public static class InboxStoreDefaults
{
    /// <summary>30 seconds.</summary>
    public static readonly TimeSpan RelayDelay = TimeSpan.FromSeconds(30);

    /// <summary>1 hour.</summary>
    public static readonly TimeSpan RelayMaxDelay = TimeSpan.FromHours(1);

    /// <summary>10.</summary>
    public const int RelayStalledThreshold = 10;

    /// <summary>5 seconds.</summary>
    public static readonly TimeSpan RelayPollInterval = TimeSpan.FromSeconds(5);

    /// <summary>100.</summary>
    public const int RelayBatchSize = 100;

    /// <summary>1 minute.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>500.</summary>
    public const int SweepBatchSize = 500;

    /// <summary>0.1.</summary>
    public const double SweepLoadShare = 0.1;

    /// <summary>1 millisecond.</summary>
    public static readonly TimeSpan GroupCommitWindow = TimeSpan.FromMilliseconds(1);

    /// <summary>64.</summary>
    public const int GroupCommitMaxRows = 64;
}
