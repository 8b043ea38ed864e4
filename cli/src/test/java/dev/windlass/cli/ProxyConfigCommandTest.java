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

    @Test
    void anUnknownTypeIsNamed() {
        Result result = run("proxy-config", "secrets", "productpage-v1-6b746f74dc-9stvs", NO_CLUSTER);
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("windlass: TYPE: 'secrets' is not one of listeners, routes, clusters, endpoints\n");
        assertThat(ProxyConfigType.parse("route")).isEqualTo(ProxyConfigType.ROUTES);
        assertThat(run("proxy-config", "clusters", "web-0", "--name=http.80", NO_CLUSTER).err())
                .isEqualTo("windlass: --name: only routes are chosen by name\n");
    }

    @Test
    void missingArgumentsAreNamed() {
        assertThat(run("proxy-config").err()).isEqualTo("windlass: TYPE: one of listeners, routes, clusters, endpoints is required\n");
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
        Result yaml = run("proxy-config", "endpoints", "web-0", "-o", "yaml", NO_CLUSTER);
        assertThat(yaml.code()).isEqualTo(2);
        assertThat(yaml.err()).isEqualTo("windlass: --output: 'yaml' is not short or json\n");
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
