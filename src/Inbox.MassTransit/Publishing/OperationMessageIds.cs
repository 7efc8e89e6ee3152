using System.Security.Cryptography;
using System.Text;

namespace Inbox.MassTransit.Publishing;

/// <summary>
/// The MessageId of an operation's message: derived from the operation id, so every publish and republish of one
/// operation carries the same MessageId.
/// </summary>
public static class OperationMessageIds
{
    /// <summary>The MessageId for <paramref name="operationId"/> (a version 8 UUID over its SHA-256).</summary>
    public static Guid For(string operationId)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(operationId), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
