using System.Security.Cryptography;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// The silo's own key pair (ECDSA P-256), made on first use and kept as a PKCS#8 PEM file readable only by its owner
/// in the silo's data directory. Signs peer heartbeats; <see cref="PublicKey"/> is what <c>silo show-key</c> prints.
/// </summary>
public sealed class SiloKeyPair : IDisposable
{
    public const string FileName = "silo-key.pem";

    private readonly ECDsa _key;
    private readonly Lock _gate = new();

    private SiloKeyPair(ECDsa key, string path)
    {
        _key = key;
        Path = path;
        PublicKey = SiloKeys.Encode(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The public key, base64url of its SubjectPublicKeyInfo.</summary>
    public string PublicKey { get; }

    public string Path { get; }

    /// <summary>Loads the key pair from <paramref name="dataDirectory"/>, making it (and the directory) first if there is none.</summary>
    public static SiloKeyPair LoadOrCreate(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var path = System.IO.Path.Combine(dataDirectory, FileName);
        var key = ECDsa.Create();
        try
        {
            if (File.Exists(path))
            {
                key.ImportFromPem(File.ReadAllText(path));
                if (key.KeySize != 256)
                {
                    throw new CryptographicException($"the key in {path} is not an ECDSA P-256 key");
                }
            }
            else
            {
                Directory.CreateDirectory(dataDirectory);
                key.GenerateKey(ECCurve.NamedCurves.nistP256);
                var temporary = path + ".tmp";
                var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var stream = new FileStream(temporary, fileOptions))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(key.ExportPkcs8PrivateKeyPem());
                }

                try
                {
                    File.Move(temporary, path, overwrite: false);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another process made the key at the same moment: use that one.
                    File.Delete(temporary);
                    key.Dispose();
                    return LoadOrCreate(dataDirectory);
                }
            }

            return new SiloKeyPair(key, path);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The signature of <paramref name="data"/>, base64url.</summary>
    public string Sign(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            return SiloKeys.Encode(_key.SignData(data, HashAlgorithmName.SHA256));
        }
    }

    public void Dispose() => _key.Dispose();
}
