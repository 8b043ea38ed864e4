package dev.windlass.testsupport.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Test certificates issued here with BouncyCastle: a CA, and server or client certificates it signs with DNS and
 * URI subject alt names. Keys are EC P-256 (fast to make) or RSA 2048. Nothing here is secret: test material only.
 */
public final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {
    }

    /** A certificate, its key, and the chain to send (the certificate, then its issuers below the root). */
    public record Issued(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        public String certificatePem() {
            return pem(chain.toArray());
        }

        /**
         * An RSA key as PKCS#1 (the form openssl's genrsa and many kubectl tutorials give); an EC key as PKCS#8,
         * since BouncyCastle's SEC1 form of a JDK key leaves out the curve, which no TLS stack could read.
         */
        public String keyPem() {
            return key.getAlgorithm().equals("RSA") ? pem(key) : pkcs8KeyPem();
        }

        public String pkcs8KeyPem() {
            try {
                return pem(new JcaPKCS8Generator(key, null).generate());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The key and chain as a PKCS#12 keystore with an empty password: what the samples' TLS_KEYSTORE reads. */
        public byte[] pkcs12() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", key, new char[0], chain.toArray(X509Certificate[]::new));
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                store.store(out, new char[0]);
                return out.toByteArray();
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes the chain and the key as PEM files. */
        public void write(Path certificate, Path key) throws IOException {
            Files.writeString(certificate, certificatePem());
            Files.writeString(key, keyPem());
        }
    }

    public static Issued ca(String commonName) throws GeneralSecurityException {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name("CN=" + commonName + ",O=Windlass tests");
        var builder = new JcaX509v3CertificateBuilder(name, serial(), notBefore(), notAfter(), name, keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        X509Certificate certificate = sign(builder, keys.getPrivate());
        return new Issued(certificate, keys.getPrivate(), List.of(certificate));
    }

    /** An intermediate CA signed by {@code root} (a {@link #ca}); its chain is itself. */
    public static Issued intermediate(Issued root, String commonName) throws GeneralSecurityException {
        KeyPair keys = ecKeys();
        var builder = new JcaX509v3CertificateBuilder(root.certificate(), serial(), notBefore(), notAfter(),
                new X500Name("CN=" + commonName + ",O=Windlass tests"), keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        X509Certificate certificate = sign(builder, root.key());
        return new Issued(certificate, keys.getPrivate(), List.of(certificate));
    }

    /**
     * Istio's plug-in CA files ({@code cacerts}) for {@code signer}, an intermediate of {@code root} or the root
     * itself, with {@code trustBundle} as root-cert.pem (the old and the new root while the root rotates): file name
     * to PEM.
     */
    public static Map<String, String> cacerts(Issued signer, Issued root, List<Issued> trustBundle) {
        Object[] chain = signer.certificate().equals(root.certificate()) ? new Object[] {signer.certificate()}
                : new Object[] {signer.certificate(), root.certificate()};
        return Map.of("ca-cert.pem", pem(signer.certificate()), "ca-key.pem", signer.pkcs8KeyPem(),
                "cert-chain.pem", pem(chain),
                "root-cert.pem", pem(trustBundle.stream().map(Issued::certificate).toArray()));
    }

    /** A server certificate for {@code dnsNames} (the first is also its common name), signed by {@code ca}. */
    public static Issued server(Issued ca, String... dnsNames) throws GeneralSecurityException {
        return issue(ca, dnsNames[0], List.of(dnsNames), List.of(), KeyPurposeId.id_kp_serverAuth, false);
    }

    /** Like {@link #server} with an RSA 2048 key. */
    public static Issued rsaServer(Issued ca, String... dnsNames) throws GeneralSecurityException {
        return issue(ca, dnsNames[0], List.of(dnsNames), List.of(), KeyPurposeId.id_kp_serverAuth, true);
    }

    /** A client certificate with {@code uris} as URI SANs (SPIFFE ids, say) and {@code dnsNames} as DNS SANs. */
    public static Issued client(Issued ca, String commonName, List<String> dnsNames, List<String> uris)
            throws GeneralSecurityException {
        return issue(ca, commonName, dnsNames, uris, KeyPurposeId.id_kp_clientAuth, false);
    }

    private static Issued issue(Issued ca, String commonName, List<String> dnsNames, List<String> uris,
                                KeyPurposeId purpose, boolean rsa) throws GeneralSecurityException {
        KeyPair keys = rsa ? rsaKeys() : ecKeys();
        var builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(), notBefore(), notAfter(),
                new X500Name("CN=" + commonName + ",O=Windlass tests"), keys.getPublic());
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        uris.forEach(u -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, u)));
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        X509Certificate certificate = sign(builder, ca.key());
        return new Issued(certificate, keys.getPrivate(), List.of(certificate));
    }

    /**
     * A client-side TLS context that trusts {@code trusted} only and, when {@code identity} is given, presents
     * it as the client certificate.
     */
    public static SSLContext clientContext(Issued trusted, Issued identity) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusted.certificate());
        TrustManagerFactory trustFactory = TrustManagerFactory.getInstance("PKIX");
        trustFactory.init(trust);
        KeyManagerFactory keyFactory = null;
        if (identity != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", identity.key(), new char[0], identity.chain().toArray(X509Certificate[]::new));
            keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyFactory.init(keys, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyFactory == null ? null : keyFactory.getKeyManagers(), trustFactory.getTrustManagers(), RANDOM);
        return context;
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws GeneralSecurityException {
        try {
            String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static KeyPair rsaKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(2)));
    }

    private static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
