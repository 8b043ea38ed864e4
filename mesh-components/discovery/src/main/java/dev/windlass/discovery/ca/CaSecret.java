package dev.windlass.discovery.ca;

import dev.windlass.contract.MeshIdentity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The CA kept in the Secret {@code windlass-ca} of the mesh namespace: read when it exists, else created. Every
 * replica and every restart uses the same CA, so the caBundle in the webhook configuration stays valid; when two
 * replicas race to create it, the loser reads the winner's. A Secret that exists but cannot be read as a CA is
 * an error, never overwritten: replacing a CA is an operator's decision.
 */
public final class CaSecret {
    public static final String NAME = MeshIdentity.CA_SECRET;
    public static final String CERT_KEY = "ca.crt";
    public static final String KEY_KEY = "ca.key";
    private static final Logger LOG = LoggerFactory.getLogger(CaSecret.class);

    private CaSecret() {
    }

    public static CertificateAuthority loadOrCreate(KubernetesClient client, String namespace) {
        Secret existing = client.secrets().inNamespace(namespace).withName(NAME).get();
        if (existing != null) {
            LOG.info("CA: using the existing Secret {}/{}", namespace, NAME);
            return read(existing, namespace);
        }
        CertificateAuthority ca = CertificateAuthority.generate("windlass-ca." + namespace);
        try {
            client.secrets().inNamespace(namespace).resource(secret(ca, namespace)).create();
            LOG.info("CA: created the Secret {}/{}", namespace, NAME);
            return ca;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            LOG.info("CA: another replica created {}/{} first; using it", namespace, NAME);
            return read(client.secrets().inNamespace(namespace).withName(NAME).get(), namespace);
        }
    }

    static CertificateAuthority read(Secret secret, String namespace) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        try {
            return new CertificateAuthority(Pem.certificate(decode(data.get(CERT_KEY))), Pem.privateKey(decode(data.get(KEY_KEY))));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Secret " + namespace + "/" + NAME + " is not a CA (" + CERT_KEY + ", "
                    + KEY_KEY + "): " + e.getMessage() + "; delete it to have a new CA made", e);
        }
    }

    private static Secret secret(CertificateAuthority ca, String namespace) {
        // No app.kubernetes.io labels: the operator prunes by those, and this Secret is not in its rendering.
        return new SecretBuilder().withNewMetadata().withName(NAME).withNamespace(namespace).endMetadata()
                .withType("Opaque")
                .addToData(CERT_KEY, encode(Pem.write(ca.certificate())))
                .addToData(KEY_KEY, encode(Pem.write(ca.key())))
                .build();
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        return base64 == null ? "" : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
