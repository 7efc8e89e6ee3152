using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore;

/// <summary>Validates <see cref="IdempotencyOptions"/> at start-up, reporting every error at once.</summary>
internal sealed class IdempotencyOptionsValidator : IValidateOptions<IdempotencyOptions>
{
    public ValidateOptionsResult Validate(string? name, IdempotencyOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.HeaderName))
        {
            errors.Add("IdempotencyOptions.HeaderName must not be empty.");
        }

        if (options.AlternateHeaderName is not null &&
            (string.IsNullOrWhiteSpace(options.AlternateHeaderName) ||
             string.Equals(options.AlternateHeaderName, options.HeaderName, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add("IdempotencyOptions.AlternateHeaderName must be null or a header name other than HeaderName.");
        }

        if (options.MaxBodySize < 1)
        {
            errors.Add($"IdempotencyOptions.MaxBodySize must be at least 1 byte; it is {options.MaxBodySize}.");
        }

        if (options.MaxResponseSize < 0)
        {
            errors.Add($"IdempotencyOptions.MaxResponseSize must not be negative; it is {options.MaxResponseSize}.");
        }

        if (options.LeaseSkewMargin < TimeSpan.Zero)
        {
            errors.Add($"IdempotencyOptions.LeaseSkewMargin must not be negative; it is {options.LeaseSkewMargin}.");
        }

        Positive(errors, "InUseTimeout", options.InUseTimeout);
        Positive(errors, "PublishTimeout", options.PublishTimeout);
        Positive(errors, "RetryAfter", options.RetryAfter);

        if (!Enum.IsDefined(options.PublishTiming))
        {
            errors.Add($"IdempotencyOptions.PublishTiming must be BeforeResponse or AfterResponse; it is {(int)options.PublishTiming}.");
        }

        if (options.MismatchStatusCode is < 400 or > 499)
        {
            errors.Add($"IdempotencyOptions.MismatchStatusCode must be a 4xx status; it is {options.MismatchStatusCode}.");
        }

        ValidatePolicy(errors, "DefaultPolicy", options.DefaultPolicy);
        foreach (var (policyName, policy) in options.Policies)
        {
            ValidatePolicy(errors, $"Policies[\"{policyName}\"]", policy);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidatePolicy(List<string> errors, string name, IdempotencyPolicy policy)
    {
        Positive(errors, name + ".Retention", policy.Retention);
        Positive(errors, name + ".LeaseDuration", policy.LeaseDuration);
        if (policy.StoresResponse is null)
        {
            errors.Add($"IdempotencyOptions.{name}.StoresResponse must not be null.");
        }

        if (!Enum.IsDefined(policy.Mode))
        {
            errors.Add($"IdempotencyOptions.{name}.Mode must be Accept, Transactional or Leased; it is {(int)policy.Mode}.");
        }
    }

    private static void Positive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"IdempotencyOptions.{name} must be greater than zero; it is {value}.");
        }
    }
}
