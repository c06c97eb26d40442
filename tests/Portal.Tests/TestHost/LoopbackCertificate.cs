using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Tests.TestHost;

/// <summary>
/// A self-signed TLS certificate for 127.0.0.1 and localhost, made for one test: the server certificate of a TLS
/// deployment on loopback, and the only authority its clients trust.
/// </summary>
public sealed class LoopbackCertificate : IDisposable
{
    public LoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Exported and read back: on Linux a certificate with an ephemeral key cannot serve TLS.
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>For a process of its own: the certificate and key as a PKCS#12 file.</summary>
    public void WritePkcs12(string path, string password) => File.WriteAllBytes(path, Certificate.Export(X509ContentType.Pkcs12, password));

    /// <summary>For a process of its own to trust (<c>SSL_CERT_FILE</c>): the certificate as PEM.</summary>
    public void WritePem(string path) => File.WriteAllText(path, Certificate.ExportCertificatePem());

    /// <summary>A client handler that trusts this certificate and nothing else.</summary>
    public SocketsHttpHandler TrustingHandler(CookieContainer? cookies = null, bool followRedirects = true) => new()
    {
        AllowAutoRedirect = followRedirects,
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new CookieContainer(),
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString(),
        },
    };

    public void Dispose() => Certificate.Dispose();
}
