using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Health;

/// <summary>Validates <see cref="InboxHealthCheckOptions"/> at start-up, reporting every error at once.</summary>
internal sealed class InboxHealthCheckOptionsValidator : IValidateOptions<InboxHealthCheckOptions>
{
    public ValidateOptionsResult Validate(string? name, InboxHealthCheckOptions options)
    {
        var errors = new List<string>();
        Positive(errors, nameof(InboxHealthCheckOptions.MaxAcceptedAge), options.MaxAcceptedAge);
        Positive(errors, nameof(InboxHealthCheckOptions.FailureWindow), options.FailureWindow);
        if (options.FailureThreshold < 1)
        {
            errors.Add($"InboxHealthCheckOptions.FailureThreshold must be at least 1; it is {options.FailureThreshold}.");
        }

        Positive(errors, nameof(InboxHealthCheckOptions.Timeout), options.Timeout);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"InboxHealthCheckOptions.{name} must be greater than zero; it is {value}.");
        }
    }
}
