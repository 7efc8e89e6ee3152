using System.Text;
using Inbox.Claims;

namespace Inbox.MassTransit.Consuming;

/// <summary>The default inbox name of a consumer: the key space of its entries, so it must outlive deploys.</summary>
internal static class InboxNames
{
    public const int MaxLength = InboxEntryLimits.MaxConsumerLength;

    /// <summary>
    /// The consumer's full name; a closed generic's type arguments by their full names too, not by
    /// <see cref="Type.FullName"/>'s assembly-qualified names, whose versions change with every deploy.
    /// </summary>
    public static string Of(Type consumer)
    {
        var name = StableName(consumer);
        return name.Length <= MaxLength ? name : name[^MaxLength..];
    }

    private static string StableName(Type type)
    {
        if (type.IsArray)
        {
            var rank = type.GetArrayRank();
            return StableName(type.GetElementType()!) + (rank == 1 ? "[]" : "[" + new string(',', rank - 1) + "]");
        }

        if (!type.IsGenericType || type.IsGenericTypeDefinition)
        {
            return type.FullName ?? type.Name;
        }

        var name = new StringBuilder(type.GetGenericTypeDefinition().FullName).Append('[');
        name.AppendJoin(',', type.GetGenericArguments().Select(StableName));
        return name.Append(']').ToString();
    }
}
