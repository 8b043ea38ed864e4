package dev.windlass.discovery.ca;

import dev.windlass.contract.SpiffeId;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Signs workload certificate requests for an authenticated caller. The identity comes from the caller (its
 * ServiceAccount token), never from the request: a request naming any other SPIFFE id is refused, as Istio's CA
 * refuses it. The request must be signed by the key it carries (proof that the caller holds that key).
 */
public final class WorkloadIssuer {
    /** Refused: the message says why, and is what the caller and the log are told. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final Supplier<CertificateAuthority> ca;
    private final Duration defaultValidity;
    private final Duration maxValidity;

    /** {@code ca}: the current CA, read per request (a plugged-in CA may be replaced while the server runs). */
    public WorkloadIssuer(Supplier<CertificateAuthority> ca, Duration defaultValidity, Duration maxValidity) {
        this.ca = ca;
        this.defaultValidity = defaultValidity;
        this.maxValidity = maxValidity;
    }

    /** The certificate chain in PEM, leaf first, then the CA's chain; {@code requestedSeconds} 0 takes the default, more is capped. */
    public List<String> issue(String csrPem, SpiffeId caller, long requestedSeconds) throws Refused {
        JcaPKCS10CertificationRequest csr = parse(csrPem);
        PublicKey key;
        try {
            key = csr.getPublicKey();
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new Refused("the certificate request is not signed by the key it carries");
            }
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException e) {
            throw new Refused("the certificate request cannot be verified: " + e.getMessage());
        }
        for (String asked : uriSans(csr)) {
            if (!asked.equals(caller.uri())) {
                throw new Refused("the certificate request asks for " + asked + " but the caller is " + caller.uri());
            }
        }
        Duration validity = requestedSeconds <= 0 ? defaultValidity : Duration.ofSeconds(requestedSeconds);
        if (validity.compareTo(maxValidity) > 0) {
            validity = maxValidity;
        }
        CertificateAuthority signer = ca.get();
        List<String> chain = new ArrayList<>();
        chain.add(Pem.write(signer.issueWorkload(key, caller, validity)));
        signer.chain().forEach(c -> chain.add(Pem.write(c)));
        return chain;
    }

    private static JcaPKCS10CertificationRequest parse(String pem) throws Refused {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object read = parser.readObject();
            if (read instanceof org.bouncycastle.pkcs.PKCS10CertificationRequest request) {
                return new JcaPKCS10CertificationRequest(request);
            }
        } catch (IOException | RuntimeException e) {
            throw new Refused("the csr field is not a PEM certificate request: " + e.getMessage());
        }
        throw new Refused("the csr field is not a PEM certificate request");
    }

    private static List<String> uriSans(JcaPKCS10CertificationRequest csr) {
        List<String> uris = new ArrayList<>();
        for (Attribute attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            Extensions extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
            GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
            if (names != null) {
                for (GeneralName name : names.getNames()) {
                    uris.add(name.getTagNo() == GeneralName.uniformResourceIdentifier ? name.getName().toString()
                            : "a non-URI name " + name.getName());
                }
            }
        }
        return uris;
    }
}
