package dev.windlass.discovery.ca;

import dev.windlass.caprotocol.Pkcs10;
import dev.windlass.contract.SpiffeId;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The discovery server's CA: the certificate that signs and its key, the chain issued certificates carry after their
 * own (the signing certificate first, up to the root), and the roots peers trust (the trust bundle, which holds an
 * old and a new root while the root rotates). Either self-signed ECDSA P-256, kept in the {@code windlass-ca}
 * Secret, or an intermediate plugged in from Istio's {@code cacerts} layout ({@link PluggedCa}). BouncyCastle builds
 * the certificates (the JDK has no public API for that); the keys and signatures are the JDK's own providers.
 */
public record CertificateAuthority(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain,
                                   List<X509Certificate> roots) {
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** Clock skew between this pod and the apiserver must not make a fresh certificate "not yet valid". */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    public CertificateAuthority {
        chain = List.copyOf(chain);
        roots = List.copyOf(roots);
    }

    /** A self-signed CA: its own chain and its own root. */
    public CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this(certificate, key, List.of(certificate), List.of(certificate));
    }

    /** The trust bundle in PEM: what the root ConfigMaps and the webhooks' caBundle carry. */
    public String rootsPem() {
        return String.join("", roots.stream().map(Pem::write).toList());
    }

    /** A serving certificate and its key; {@code chain} is the certificate then the CA's chain. */
    public record Issued(PrivateKey key, X509Certificate[] chain) {
    }

    /** A TLS client context that trusts this CA's roots only. */
    public SSLContext clientContext() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("root-" + i, roots.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    public static CertificateAuthority generate(String commonName) {
        KeyPair pair = Pkcs10.newKeyPair();
        X500Name name = new X500Name("O=windlass.dev,CN=" + commonName);
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(BACKDATE)),
                    Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the CA certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A TLS server certificate for {@code dnsNames} and {@code ipAddresses}, signed by this CA, valid from an hour
     * back (clock skew) for {@code validity}.
     */
    public Issued issueServing(List<String> dnsNames, List<String> ipAddresses, Duration validity) {
        KeyPair pair = Pkcs10.newKeyPair();
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate,
                    serial(), Date.from(now.minus(BACKDATE)), Date.from(roundedUp(now.plus(validity))),
                    new X500Name("O=windlass.dev,CN=" + dnsNames.get(0)), pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, altNames(dnsNames, ipAddresses))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            List<X509Certificate> issued = new ArrayList<>(chain.size() + 1);
            issued.add(sign(builder, key));
            issued.addAll(chain);
            return new Issued(pair.getPrivate(), issued.toArray(X509Certificate[]::new));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue the serving certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A workload certificate: {@code identity} as its only (critical) URI SAN and an empty subject, as Istio issues
     * them, for both ends of mutual TLS; valid from an hour back (clock skew) for {@code validity}.
     */
    public X509Certificate issueWorkload(PublicKey workloadKey, SpiffeId identity, Duration validity) {
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate,
                    serial(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), new X500Name(new RDN[0]), workloadKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, true, new GeneralNames(
                            new GeneralName(GeneralName.uniformResourceIdentifier, identity.uri())))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            return sign(builder, key);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a workload certificate: " + e.getMessage(), e);
        }
    }

    /**
     * X.509 times are whole seconds and would drop the fraction: rounded up instead, so that a certificate of a few
     * seconds (tests) is still valid when it is renewed at 80 % of its lifetime.
     */
    private static Instant roundedUp(Instant time) {
        Instant seconds = time.truncatedTo(ChronoUnit.SECONDS);
        return seconds.equals(time) ? time : seconds.plusSeconds(1);
    }

    private static GeneralNames altNames(List<String> dnsNames, List<String> ipAddresses) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }
}
