using Microsoft.Extensions.Options;

namespace Inbox.Background;

/// <summary>Validates <see cref="InboxStoreOptions"/> at start-up, reporting every error at once.</summary>
internal sealed class InboxStoreOptionsValidator : IValidateOptions<InboxStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, InboxStoreOptions options)
    {
        var errors = new List<string>();
        Positive(errors, nameof(options.RelayDelay), options.RelayDelay);
        Positive(errors, nameof(options.RelayPollInterval), options.RelayPollInterval);
        Positive(errors, nameof(options.SweepInterval), options.SweepInterval);
        Range(errors, nameof(options.RelayBatchSize), options.RelayBatchSize);
        Range(errors, nameof(options.SweepBatchSize), options.SweepBatchSize);
        Range(errors, nameof(options.RelayStalledThreshold), options.RelayStalledThreshold);
        if (options.RelayMaxDelay < options.RelayDelay)
        {
            errors.Add($"InboxStoreOptions.RelayMaxDelay must be at least RelayDelay ({options.RelayDelay}); it is {options.RelayMaxDelay}.");
        }

        if (!(options.SweepLoadShare is > 0 and <= 1))
        {
            errors.Add($"InboxStoreOptions.SweepLoadShare must be greater than 0 and at most 1; it is {options.SweepLoadShare}.");
        }

        if (options.GroupCommitWindow <= TimeSpan.Zero || options.GroupCommitWindow > TimeSpan.FromSeconds(1))
        {
            errors.Add($"InboxStoreOptions.GroupCommitWindow must be greater than zero and at most 1 second; it is {options.GroupCommitWindow}.");
        }

        if (options.GroupCommitMaxRows is < 1 or > 1000)
        {
            errors.Add($"InboxStoreOptions.GroupCommitMaxRows must be between 1 and 1000; it is {options.GroupCommitMaxRows}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"InboxStoreOptions.{name} must be greater than zero; it is {value}.");
        }
    }

    private static void Range(List<string> errors, string name, int value)
    {
        if (value is < 1 or > 100_000)
        {
            errors.Add($"InboxStoreOptions.{name} must be between 1 and 100000; it is {value}.");
        }
    }
}
