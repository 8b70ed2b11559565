using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// Silo public keys as operators copy them into <c>remote_serverkey</c>: ECDSA P-256, the SubjectPublicKeyInfo in
/// base64url (one line, no padding). Verification of signatures made with <see cref="SiloKeyPair"/>.
/// </summary>
public static class SiloKeys
{
    private static readonly ConcurrentDictionary<string, ECDsa?> s_imported = new(StringComparer.Ordinal);

    public static bool IsPublicKey(string text) => Import(text) is not null;

    /// <summary>True when <paramref name="signature"/> (base64url) is <paramref name="publicKey"/>'s signature of <paramref name="data"/>.</summary>
    public static bool Verify(string publicKey, ReadOnlySpan<byte> data, string signature)
    {
        if (Import(publicKey) is not { } key || !TryDecode(signature, out var signatureBytes))
        {
            return false;
        }

        lock (key)
        {
            return key.VerifyData(data, signatureBytes, HashAlgorithmName.SHA256);
        }
    }

    internal static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text) || text.Length > 4096)
        {
            return false;
        }

        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static ECDsa? Import(string text)
    {
        if (s_imported.TryGetValue(text, out var cached))
        {
            return cached;
        }

        ECDsa? key = null;
        if (TryDecode(text, out var bytes))
        {
            var candidate = ECDsa.Create();
            try
            {
                candidate.ImportSubjectPublicKeyInfo(bytes, out var read);
                if (read == bytes.Length && candidate.KeySize == 256)
                {
                    key = candidate;
                }
            }
            catch (CryptographicException)
            {
            }

            if (key is null)
            {
                candidate.Dispose();
            }
        }

        // Bounded: only keys of configured peers and of heartbeats that arrive are ever looked up.
        if (s_imported.Count < 1024)
        {
            s_imported.TryAdd(text, key);
        }

        return key;
    }
}
