package dev.windlass.init;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The nat-table rules for one {@link CaptureConfig}, as {@code iptables-restore} input. Pure and deterministic: the
 * same config always gives the same text, byte for byte. The semantics are those of istio-iptables (REDIRECT mode):
 *
 * <ul>
 *   <li>inbound TCP arriving in PREROUTING goes to {@value #INBOUND}: excluded ports return, the rest is redirected
 *       to the inbound capture port through {@value #IN_REDIRECT};</li>
 *   <li>outbound TCP leaving through OUTPUT goes to {@value #OUTPUT}: excluded ports return; replies the proxy sends
 *       from 127.0.0.6 return; the proxy's own loopback calls to the pod's address go to inbound capture; other
 *       loopback traffic of the app returns; everything else the proxy sends returns; 127.0.0.1 returns; excluded
 *       ranges return; included ranges are redirected to the outbound capture port through {@value #REDIRECT}.</li>
 * </ul>
 */
public final class NatRules {
    public static final String INBOUND = "WINDLASS_INBOUND";
    public static final String REDIRECT = "WINDLASS_REDIRECT";
    public static final String IN_REDIRECT = "WINDLASS_IN_REDIRECT";
    public static final String OUTPUT = "WINDLASS_OUTPUT";
    /** The chains this program owns, in the order they are declared. */
    public static final List<String> CHAINS = List.of(INBOUND, REDIRECT, IN_REDIRECT, OUTPUT);

    /** The source address the proxy uses to forward inbound traffic to the app. */
    static final String INBOUND_PASSTHROUGH_SOURCE = "127.0.0.6/32";
    static final String LOCALHOST = "127.0.0.1/32";

    private final List<String> rules;

    private NatRules(List<String> rules) {
        this.rules = List.copyOf(rules);
    }

    public static NatRules of(CaptureConfig config) {
        List<String> rules = new ArrayList<>();
        rules.add(append(REDIRECT, "-p tcp -j REDIRECT --to-ports " + config.outboundCapturePort()));
        rules.add(append(IN_REDIRECT, "-p tcp -j REDIRECT --to-ports " + config.inboundCapturePort()));
        addInbound(config, rules);
        addOutput(config, rules);
        return new NatRules(rules);
    }

    /** The {@code -A} lines, in order. */
    public List<String> rules() {
        return rules;
    }

    /** The complete {@code iptables-restore} input: the nat table, its four chains, the rules, COMMIT. */
    public String toRestoreInput() {
        StringBuilder text = new StringBuilder("*nat\n");
        CHAINS.forEach(chain -> text.append(':').append(chain).append(" - [0:0]\n"));
        rules.forEach(rule -> text.append(rule).append('\n'));
        return text.append("COMMIT\n").toString();
    }

    @Override
    public String toString() {
        return toRestoreInput();
    }

    private static void addInbound(CaptureConfig config, List<String> rules) {
        PortSelection include = config.includeInboundPorts();
        if (!include.all() && include.ports().isEmpty()) {
            return; // includeInboundPorts="" : no inbound capture at all
        }
        SortedSet<Integer> excluded = config.effectiveExcludedInboundPorts();
        rules.add(append("PREROUTING", "-p tcp -j " + INBOUND));
        if (include.all()) {
            excluded.forEach(port -> rules.add(append(INBOUND, "-p tcp --dport " + port + " -j RETURN")));
            rules.add(append(INBOUND, "-p tcp -j " + IN_REDIRECT));
        } else {
            SortedSet<Integer> captured = new TreeSet<>(include.ports());
            captured.removeAll(excluded); // an excluded port is never captured, even when listed
            captured.forEach(port -> rules.add(append(INBOUND, "-p tcp --dport " + port + " -j " + IN_REDIRECT)));
        }
    }

    private static void addOutput(CaptureConfig config, List<String> rules) {
        rules.add(append("OUTPUT", "-p tcp -j " + OUTPUT));
        config.excludeOutboundPorts().forEach(port -> rules.add(append(OUTPUT, "-p tcp --dport " + port + " -j RETURN")));
        rules.add(append(OUTPUT, "-o lo -s " + INBOUND_PASSTHROUGH_SOURCE + " -j RETURN"));
        boolean loopbackIncluded = config.includeOutboundIpRanges().containsLoopback();
        addProxyOwnerRules(rules, "--uid-owner " + config.proxyUid(), loopbackIncluded);
        addProxyOwnerRules(rules, "--gid-owner " + config.proxyGid(), loopbackIncluded);
        rules.add(append(OUTPUT, "-d " + LOCALHOST + " -j RETURN"));
        config.excludeOutboundIpRanges().forEach(cidr -> rules.add(append(OUTPUT, "-d " + cidr + " -j RETURN")));
        IpRanges include = config.includeOutboundIpRanges();
        if (include.all()) {
            rules.add(append(OUTPUT, "-j " + REDIRECT));
        } else {
            include.cidrs().forEach(cidr -> rules.add(append(OUTPUT, "-d " + cidr + " -j " + REDIRECT)));
        }
    }

    /**
     * For one owner match (the proxy's UID or GID): the proxy calling the pod's own address over loopback is
     * inbound traffic; the app calling itself over loopback is not captured (unless a loopback range is explicitly
     * included); anything else the proxy sends is never captured again.
     */
    private static void addProxyOwnerRules(List<String> rules, String ownerMatch, boolean loopbackIncluded) {
        rules.add(append(OUTPUT, "-o lo ! -d " + LOCALHOST + " -m owner " + ownerMatch + " -j " + IN_REDIRECT));
        if (!loopbackIncluded) {
            rules.add(append(OUTPUT, "-o lo -m owner ! " + ownerMatch + " -j RETURN"));
        }
        rules.add(append(OUTPUT, "-m owner " + ownerMatch + " -j RETURN"));
    }

    private static String append(String chain, String rest) {
        return "-A " + chain + " " + rest;
    }
}
