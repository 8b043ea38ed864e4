package dev.windlass.bench.dataplane;

import dev.windlass.bench.Cmd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Two network namespaces, a client "pod" and a server "pod", joined by one veth pair and nothing else: no link to
 * the host's network, no route out, so load can only reach what runs inside them. Client 10.253.N.1, server
 * 10.253.N.2 (10.253.0.0/16 is used by nothing else in the repository). Names: {@code wb-RUN-Xc} and
 * {@code wb-RUN-Xs}.
 */
public record PodPair(String client, String server, String clientIp, String serverIp) {

    public static PodPair create(String runId, String letter, int subnet) throws IOException, InterruptedException {
        PodPair pair = new PodPair("wb-" + runId + "-" + letter + "c", "wb-" + runId + "-" + letter + "s",
                "10.253." + subnet + ".1", "10.253." + subnet + ".2");
        for (String namespace : List.of(pair.client, pair.server)) {
            Cmd.run(List.of("ip", "netns", "add", namespace));
            pair.exec(namespace, "ip", "link", "set", "lo", "up");
        }
        pair.exec(pair.client, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", pair.server);
        pair.address(pair.client, pair.clientIp);
        pair.address(pair.server, pair.serverIp);
        return pair;
    }

    private void address(String namespace, String ip) throws IOException, InterruptedException {
        exec(namespace, "ip", "addr", "add", ip + "/24", "dev", "eth0");
        exec(namespace, "ip", "link", "set", "eth0", "up");
    }

    public String exec(String namespace, String... command) throws IOException, InterruptedException {
        return Cmd.run(Cmd.inNetns(namespace, List.of(command)));
    }

    /**
     * Deletes both namespaces (their veth ends and iptables rules go with them) and the files {@code ip netns exec}
     * mounts into them (/etc/netns/NS, which deleting the namespace leaves); reports and carries on.
     */
    public void delete() {
        for (String namespace : new ArrayList<>(List.of(client, server))) {
            try {
                Cmd.run(List.of("ip", "netns", "del", namespace));
                Cmd.run(List.of("rm", "-rf", "/etc/netns/" + namespace));
            } catch (IOException | InterruptedException e) {
                System.err.println("[bench] could not delete " + namespace + ": " + e.getMessage());
            }
        }
    }
}
