package dev.windlass.discovery.ca;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/** PEM text for certificates and PKCS#8 keys, as Kubernetes Secrets and caBundles carry them. */
public final class Pem {
    private Pem() {
    }

    public static String write(Object certificateOrKey) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            // Keys as PKCS#8 "PRIVATE KEY": BouncyCastle would write an EC key as SEC1 without its public part.
            if (certificateOrKey instanceof PrivateKey key) {
                writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
            } else {
                writer.writeObject(certificateOrKey);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException when the text holds no certificate */
    public static X509Certificate certificate(String pem) {
        Object object = read(pem);
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new IllegalArgumentException("not a PEM certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bad certificate: " + e.getMessage(), e);
        }
    }

    /** Every certificate of a bundle, in order; @throws IllegalArgumentException when it holds none */
    public static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream().map(X509Certificate.class::cast).toList();
            if (all.isEmpty()) {
                throw new IllegalArgumentException("no PEM certificate");
            }
            return all;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("bad certificate: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the text holds no private key */
    public static PrivateKey privateKey(String pem) {
        Object object = read(pem);
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("bad private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("not a PEM private key");
    }

    private static Object read(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
            return parser.readObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("not PEM: " + e.getMessage(), e);
        }
    }
}
