package dev.windlass.cli;

import dev.windlass.cli.WindlassCliTest.Result;
import org.junit.jupiter.api.Test;

import static dev.windlass.cli.WindlassCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code windlass proxy-config} refuses bad input with exit code 2 and one line naming the argument or flag, before
 * it touches a cluster (the kubeconfig given here does not exist, so getting that far would fail differently).
 */
class ProxyConfigCommandTest {
    private static final String NO_CLUSTER = "--kubeconfig=/nonexistent";
    private static final String TYPES = "listeners, routes, clusters, endpoints, secrets, bootstrap, log, all";

    @Test
    void anUnknownTypeIsNamed() {
        Result result = run("proxy-config", "sockets", "productpage-v1-6b746f74dc-9stvs", NO_CLUSTER);
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("windlass: TYPE: 'sockets' is not one of " + TYPES + "\n");
        assertThat(run("proxy-config", "clusters", "web-0", "--name=http.80", NO_CLUSTER).err())
                .isEqualTo("windlass: --name: only routes are filtered by it\n");
        assertThat(run("proxy-config", "routes", "web-0", "--fqdn", "productpage", NO_CLUSTER).err())
                .isEqualTo("windlass: --fqdn: only clusters are filtered by it\n");
        assertThat(run("proxy-config", "routes", "web-0", "--port", "80", NO_CLUSTER).err())
                .startsWith("windlass: --port: only ").contains("listeners", "clusters", "endpoints");
        assertThat(run("proxy-config", "clusters", "web-0", "--direction", "sideways", NO_CLUSTER).err())
                .isEqualTo("windlass: --direction: 'sideways' is not inbound or outbound\n");
    }

    @Test
    void singularAndPluralNamesAndTheOtherTypes() {
        assertThat(ProxyConfigType.parse("route")).isEqualTo(ProxyConfigType.ROUTES);
        assertThat(ProxyConfigType.parse("listener")).isEqualTo(ProxyConfigType.LISTENERS);
        assertThat(ProxyConfigType.parse("cluster")).isEqualTo(ProxyConfigType.CLUSTERS);
        assertThat(ProxyConfigType.parse("endpoint")).isEqualTo(ProxyConfigType.ENDPOINTS);
        assertThat(ProxyConfigType.parse("secret")).isEqualTo(ProxyConfigType.SECRETS);
        assertThat(ProxyConfigType.parse("bootstrap")).isEqualTo(ProxyConfigType.BOOTSTRAP);
        assertThat(ProxyConfigType.parse("log")).isEqualTo(ProxyConfigType.LOG);
        assertThat(ProxyConfigType.parse("all")).isEqualTo(ProxyConfigType.ALL);
        assertThat(run("proxy-config", "all", "web-0", "--port", "80", "--fqdn", "x", "--status", "healthy", NO_CLUSTER).err())
                .isEqualTo("windlass: --kubeconfig: /nonexistent: no such file\n");
    }

    @Test
    void logLevelsAreChecked() {
        assertThat(run("proxy-config", "log", "web-0", "--level", "loud", NO_CLUSTER).err())
                .isEqualTo("windlass: --level: 'loud' is not one of trace, debug, info, warning, error, off\n");
        assertThat(run("proxy-config", "routes", "web-0", "--level", "debug", NO_CLUSTER).err())
                .isEqualTo("windlass: --level: only log takes a level\n");
        assertThat(run("proxy-config", "log", "web-0", "--level", "debug", NO_CLUSTER).err())
                .isEqualTo("windlass: --kubeconfig: /nonexistent: no such file\n");
    }

    @Test
    void theNamespaceMayComeBeforeTheCommand() {
        assertThat(run("-n", "Bad_NS", "proxy-config", "listener", "web-0", "--port", "80", "-o", "json", NO_CLUSTER).err())
                .isEqualTo("windlass: --namespace: 'Bad_NS' is not a namespace name\n");
        Result seed = run("-n", "windlass-system", "proxy-config", "listener", "gw-0", "--port", "80", "-o", "json", NO_CLUSTER);
        assertThat(seed.code()).isEqualTo(2);
        assertThat(seed.err()).isEqualTo("windlass: --kubeconfig: /nonexistent: no such file\n");
        assertThat(run("proxy-config", "route", "--name=http.80", "gw-0", NO_CLUSTER).err())
                .isEqualTo("windlass: --kubeconfig: /nonexistent: no such file\n");
    }

    @Test
    void missingArgumentsAreNamed() {
        assertThat(run("proxy-config").err()).isEqualTo("windlass: TYPE: one of " + TYPES + " is required\n");
        Result noPod = run("proxy-config", "routes");
        assertThat(noPod.code()).isEqualTo(2);
        assertThat(noPod.err()).isEqualTo("windlass: POD: a pod name is required\n");
    }

    @Test
    void badNamesAndOutputsAreNamed() {
        assertThat(run("proxy-config", "clusters", "Not_A_Pod", NO_CLUSTER).err())
                .isEqualTo("windlass: POD: 'Not_A_Pod' is not a pod name\n");
        assertThat(run("proxy-config", "clusters", "web-0", "-n", "Bad_NS", NO_CLUSTER).err())
                .isEqualTo("windlass: --namespace: 'Bad_NS' is not a namespace name\n");
        assertThat(run("proxy-config", "clusters", "web-0.Bad_NS", NO_CLUSTER).err())
                .isEqualTo("windlass: POD: 'Bad_NS' is not a namespace name\n");
        Result xml = run("proxy-config", "endpoints", "web-0", "-o", "xml", NO_CLUSTER);
        assertThat(xml.code()).isEqualTo(2);
        assertThat(xml.err()).isEqualTo("windlass: --output: 'xml' is not short, json or yaml\n");
    }

    @Test
    void goodInputGetsAsFarAsTheKubeconfig() {
        Result result = run("proxy-config", "endpoints", "web-0.shop", "-o", "json", NO_CLUSTER);
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("windlass: --kubeconfig: /nonexistent: no such file\n");
    }

    @Test
    void helpDescribesTheCommand() {
        Result result = run("proxy-config", "--help");
        assertThat(result.code()).isZero();
        assertThat(result.out()).startsWith("Usage: windlass proxy-config").contains("TYPE", "POD", "-n, --namespace", "-o, --output");
    }
}
