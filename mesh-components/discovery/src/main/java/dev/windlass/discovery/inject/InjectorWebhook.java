package dev.windlass.discovery.inject;

import dev.windlass.contract.Revisions;
import dev.windlass.discovery.DiscoveryConfig;
import dev.windlass.discovery.ca.CertificateAuthority;
import dev.windlass.discovery.ca.MeshCa;
import dev.windlass.discovery.ca.ServingCertificates;
import dev.windlass.discovery.metrics.Metrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The discovery server's admission webhooks, the sidecar injector ({@code /inject}) and the traffic API's
 * validation ({@code /validate}): the mesh CA ({@link MeshCa}), a serving certificate it issues for
 * the discovery Service (renewed before it expires), the HTTPS server, the injector ConfigMap's informer, and the
 * caBundle writers of both webhook configurations.
 */
public final class InjectorWebhook implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InjectorWebhook.class);
    /** How often the plugged-in CA's files are read again; the kubelet updates a Secret's files within ~1 min. */
    private static final Duration CA_FILES_PERIOD = Duration.ofSeconds(5);
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final MeshCa ca;
    private WebhookServer server;

    private InjectorWebhook(MeshCa ca) {
        this.ca = ca;
    }

    /**
     * Starts it all; returns once the server listens and the injector ConfigMap's first list is in.
     *
     * @param namespaceLabels the Namespace informer's labels (KubeWatcher), empty when it has not seen one
     * @param extraIps        more IP SANs for the serving certificate (tests call it at 127.0.0.1)
     */
    public static InjectorWebhook start(KubernetesClient client, DiscoveryConfig config,
                                        Function<String, Optional<Map<String, String>>> namespaceLabels,
                                        Metrics metrics, List<String> extraIps) throws IOException {
        InjectorWebhook webhook = new InjectorWebhook(MeshCa.load(client, config.namespace(), config.pluggedCaDirectory()));
        webhook.parts.add(webhook.ca);
        try {
            InjectorConfigSource source = new InjectorConfigSource(config.namespace(),
                    config.revisioned(Revisions.INJECTOR)).start(client);
            webhook.parts.add(source);
            String caPem = webhook.ca.get().rootsPem();
            // Sidecars mount the CA root the publisher below keeps in every namespace (the template's volume).
            AdmissionHandler handler = new AdmissionHandler(source::current,
                    new NamespaceLabels(namespaceLabels, client), config.namespace(), metrics);
            ServingCertificates serving = ServingCertificates.start("webhooks", webhook.ca,
                    config.serviceNames(), extraIps, config.servingCertTtl());
            webhook.parts.add(serving);
            webhook.server = new WebhookServer(new InetSocketAddress(config.bindAddress(), config.webhookPort()),
                    serving.serverContext(), handler, new ValidationHandler(metrics)).start();
            webhook.parts.add(webhook.server);
            CaRootPublisher roots = new CaRootPublisher(client, config.namespace(), caPem, config.webhookConfigurationName()).start();
            webhook.parts.add(roots);
            var mutating = CaBundleWriter.mutating(client, config.webhookConfigurationName(), caPem).start();
            webhook.parts.add(mutating);
            var validating = CaBundleWriter.validating(client, config.validationConfigurationName(), caPem).start();
            webhook.parts.add(validating);
            // The bundle first, then the certificates that chain to it: no client meets a root it was not given.
            webhook.ca.onChange(ca -> {
                roots.publish(ca.rootsPem());
                mutating.publish(ca.rootsPem());
                validating.publish(ca.rootsPem());
                serving.renewNow();
            });
            webhook.ca.watch(CA_FILES_PERIOD);
        } catch (IOException | RuntimeException e) {
            webhook.close();
            throw e;
        }
        LOG.info("injector and validation webhooks on :{} (HTTPS), config {}, caBundle into {} and {}", webhook.port(),
                config.revisioned(Revisions.INJECTOR), config.webhookConfigurationName(),
                config.validationConfigurationName());
        return webhook;
    }

    public int port() {
        return server.port();
    }

    /** The CA as it is now. */
    public CertificateAuthority ca() {
        return ca.get();
    }

    /** The mesh CA, which a plugged-in CA's new files replace while the server runs. */
    public MeshCa meshCa() {
        return ca;
    }

    @Override
    public void close() {
        for (AutoCloseable part : parts.reversed()) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", part.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
