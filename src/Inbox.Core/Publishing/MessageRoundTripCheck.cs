using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Inbox.Publishing;

/// <summary>
/// Finds what in a message type System.Text.Json cannot write and read back with <see cref="MessageSerializer.Options"/>:
/// an interface or abstract type, a type it cannot create, a public field (not written), a property without a setter
/// or constructor parameter (written, then lost on the way back). Walks the members' types too.
/// </summary>
internal static class MessageRoundTripCheck
{
    private static readonly string? SerializerAssemblyName = typeof(JsonSerializer).Assembly.GetName().Name;

    public static MessageRoundTripException? Find(Type messageType, JsonSerializerOptions options)
    {
        var visited = new HashSet<Type>();
        var reason = Walk(messageType, path: null, options, visited, out var member);
        return reason is null ? null : new MessageRoundTripException(messageType, member, reason);
    }

    private static string? Walk(Type type, string? path, JsonSerializerOptions options, HashSet<Type> visited, out string? member)
    {
        member = path;
        if (!visited.Add(type))
        {
            return null;
        }

        JsonTypeInfo info;
        try
        {
            info = options.GetTypeInfo(type);
        }
        catch (Exception exception) when (exception is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return $"System.Text.Json cannot describe {type.Name}: {exception.Message}";
        }

        return info.Kind switch
        {
            JsonTypeInfoKind.Object => WalkObject(info, path, options, visited, out member),
            JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary => WalkCollection(info, path, options, visited, out member),
            _ => null,
        };
    }

    private static string? WalkObject(JsonTypeInfo info, string? path, JsonSerializerOptions options, HashSet<Type> visited, out string? member)
    {
        member = path;
        var type = info.Type;
        if (info.PolymorphismOptions is null && (type.IsInterface || type.IsAbstract))
        {
            return $"{type.Name} is {(type.IsInterface ? "an interface" : "an abstract class")}, and the relay cannot create one to republish.";
        }

        if (CannotCreate(info, "{}"u8) is { } failure)
        {
            return $"{type.Name} cannot be created from its JSON: {failure}";
        }

        if (!options.IncludeFields)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!field.IsDefined(typeof(System.Text.Json.Serialization.JsonIncludeAttribute), inherit: true))
                {
                    member = Join(path, field.Name);
                    return $"its public field {field.Name} is not stored (System.Text.Json ignores fields); make it a property.";
                }
            }
        }

        foreach (var property in info.Properties)
        {
            // Not written ([JsonIgnore]): nothing to lose. Named as in C#, not as in the JSON.
            if (property.Get is null)
            {
                continue;
            }

            var name = (property.AttributeProvider as MemberInfo)?.Name ?? property.Name;
            if (property.Set is null && property.AssociatedParameter is null && !property.IsExtensionData)
            {
                member = Join(path, name);
                return $"its property {name} has no setter and no constructor parameter, so the relay would republish " +
                    "its default value; add an init setter or a constructor parameter (mark a computed property [JsonIgnore]).";
            }

            if (Walk(property.PropertyType, Join(path, name), options, visited, out member) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    private static string? WalkCollection(JsonTypeInfo info, string? path, JsonSerializerOptions options, HashSet<Type> visited, out string? member)
    {
        member = path;
        var empty = info.Kind == JsonTypeInfoKind.Dictionary ? "{}"u8 : "[]"u8;
        if (CannotCreate(info, empty) is { } failure)
        {
            return $"{info.Type.Name} cannot be created from its JSON: {failure}";
        }

        var elements = $"{path}[]";
        if (info.KeyType is { } keyType && Walk(keyType, elements, options, visited, out member) is { } keyProblem)
        {
            return keyProblem;
        }

        return info.ElementType is { } elementType ? Walk(elementType, elements, options, visited, out member) : null;
    }

    // Reading an empty value exercises what only a read shows: the constructor the serializer picks (or that none
    // fits) and how constructor parameters bind. Only the serializer's own refusal counts: a JsonException (a required
    // member missing) or the type's constructor rejecting empty values says nothing about the type's shape, and the
    // check must never throw, since the accept path runs it too.
    private static string? CannotCreate(JsonTypeInfo info, ReadOnlySpan<byte> empty)
    {
        try
        {
            JsonSerializer.Deserialize(empty, info);
            return null;
        }
        catch (Exception exception) when (
            exception is NotSupportedException or InvalidOperationException && exception.Source == SerializerAssemblyName)
        {
            return exception.Message;
        }
#pragma warning disable CA1031 // any other failure is the type's own code refusing empty values, not its shape
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static string Join(string? path, string name) => path is null ? name : $"{path}.{name}";
}
