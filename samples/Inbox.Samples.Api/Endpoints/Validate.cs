namespace Inbox.Samples.Api.Endpoints;

internal static class Validate
{
    public static void Identifier(List<FieldError> errors, string field, string? value) => Text(errors, field, value, maxLength: 100);

    public static void Text(List<FieldError> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength || value.Any(char.IsControl))
        {
            errors.Add(new FieldError(field, $"is required: 1 to {maxLength} characters"));
        }
    }
}
