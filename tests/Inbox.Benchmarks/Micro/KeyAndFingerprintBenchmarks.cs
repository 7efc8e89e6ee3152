using System.Text;
using BenchmarkDotNet.Attributes;
using Inbox.Fingerprints;
using Inbox.Keys;

namespace Inbox.Benchmarks.Micro;

/// <summary>The per-request CPU of the key rules and the canonical fingerprint.</summary>
[MemoryDiagnoser]
public class KeyAndFingerprintBenchmarks
{
    private const string Uuid = "550e8400-e29b-41d4-a716-446655440000";
    private const string Quoted = "\"order-2026-11-23-\\\"42\\\"\"";
    private byte[] _typical = [];
    private byte[] _large = [];

    [GlobalSetup]
    public void Setup()
    {
        _typical = Encoding.UTF8.GetBytes("""{"patient_id": "pat_123", "payer_id": "payer_acme", "amount_cents": 12500, "service_codes": ["99213", "99214"], "notes": "follow-up visit"}""");
        var builder = new StringBuilder("{\"lines\": [");
        for (var i = 0; builder.Length < 64 * 1024 - 200; i++)
        {
            builder.Append(i == 0 ? "" : ", ").Append($$"""{"code": "{{i % 99999:D5}}", "amount_cents": {{i * 7}}, "modifier": "{{(char)('A' + i % 26)}}"}""");
        }

        _large = Encoding.UTF8.GetBytes(builder.Append("], \"patient_id\": \"pat_123\"}").ToString());
    }

    [Benchmark(Description = "parse key: UUID")]
    public IdempotencyKeyError ParseUuid() => IdempotencyKey.Parse(Uuid, requireUuid: true, out _);

    [Benchmark(Description = "parse key: quoted with escapes")]
    public IdempotencyKeyError ParseQuoted() => IdempotencyKey.Parse(Quoted, requireUuid: false, out _);

    [Benchmark(Description = "fingerprint: typical JSON (140 B)")]
    public byte[] FingerprintTypical() => RequestFingerprint.Compute("POST", "/v1/claims", _typical, isJson: true);

    [Benchmark(Description = "fingerprint: 64 KiB JSON")]
    public byte[] FingerprintLarge() => RequestFingerprint.Compute("POST", "/v1/claims", _large, isJson: true);

    [Benchmark(Description = "fingerprint: 64 KiB as bytes")]
    public byte[] FingerprintLargeBytes() => RequestFingerprint.Compute("POST", "/v1/claims", _large, isJson: false);
}
