package dev.windlass.e2e.security;

import dev.windlass.contract.MeshIdentity;
import dev.windlass.discovery.ca.CaSecret;
import dev.windlass.discovery.ca.Pem;
import dev.windlass.testsupport.tls.TestPki;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Istio's plug-in CA root rotation as a user does it on a mesh that started with Windlass's self-signed CA: the
 * {@code cacerts} Secret first carries the running CA (from {@code windlass-ca}) with a trust bundle of the old and
 * a new root, then, once every proxy trusts both, an intermediate of the new root. The kubelet brings each version
 * of the Secret into the discovery server's files; nothing restarts.
 */
final class PluggedCaRotation {
    private final KubernetesClient client;
    private final String meshNamespace;
    private final TestPki.Issued oldRoot;
    private final TestPki.Issued newRoot;
    private final TestPki.Issued newIntermediate;

    PluggedCaRotation(KubernetesClient client, String meshNamespace) throws GeneralSecurityException {
        this.client = client;
        this.meshNamespace = meshNamespace;
        this.oldRoot = selfSignedCa(client.secrets().inNamespace(meshNamespace).withName(MeshIdentity.CA_SECRET).get());
        this.newRoot = TestPki.ca("windlass-e2e-root-b");
        this.newIntermediate = TestPki.intermediate(newRoot, "windlass-e2e-intermediate-b1");
    }

    /** Serial numbers (hex, as /certs prints them) of the old root, the new root and the new intermediate. */
    String oldRootSerial() {
        return oldRoot.serial().toString(16);
    }

    String newRootSerial() {
        return newRoot.serial().toString(16);
    }

    String newIntermediateSerial() {
        return newIntermediate.serial().toString(16);
    }

    /** Step 1: the running CA keeps signing; the trust bundle gets the new root beside it. */
    void trustBothRoots() {
        write(TestPki.cacerts(oldRoot, oldRoot, List.of(oldRoot, newRoot)));
    }

    /** Step 2: the new root's intermediate signs; the bundle keeps both roots while old certificates live. */
    void signWithTheNewIntermediate() {
        write(TestPki.cacerts(newIntermediate, newRoot, List.of(oldRoot, newRoot)));
    }

    private void write(Map<String, String> files) {
        Secret cacerts = new SecretBuilder().withNewMetadata().withName(MeshIdentity.PLUGGED_CA_SECRET)
                .withNamespace(meshNamespace).endMetadata().withType("Opaque").withStringData(files).build();
        client.secrets().inNamespace(meshNamespace).resource(cacerts).serverSideApply();
    }

    private static TestPki.Issued selfSignedCa(Secret secret) {
        X509Certificate certificate = Pem.certificate(decoded(secret, CaSecret.CERT_KEY));
        return new TestPki.Issued(certificate, Pem.privateKey(decoded(secret, CaSecret.KEY_KEY)), List.of(certificate));
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
    }
}
