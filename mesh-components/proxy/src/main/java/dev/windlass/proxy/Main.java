package dev.windlass.proxy;

import dev.windlass.proxy.net.SoOriginalDst;

import java.util.Arrays;

/**
 * The one proxy image's entry point: the first argument picks the role. {@code init} writes the iptables rules
 * (the windlass-init program), {@code sidecar} runs the sidecar proxy, {@code router} runs a gateway.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String role = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (role) {
            case "init" -> dev.windlass.init.Main.main(rest);
            case "sidecar" -> run(Role.SIDECAR, rest);
            case "router" -> run(Role.ROUTER, rest);
            default -> {
                System.err.println("usage: windlass-proxy init|sidecar|router [--name=value...]");
                System.exit(2);
            }
        }
    }

    private static void run(Role role, String[] args) {
        ProxyOptions options;
        try {
            options = ProxyOptions.parse(role, args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("windlass-proxy: " + e.getMessage());
            System.exit(2);
            return;
        }
        Proxy proxy = new Proxy(options, new SoOriginalDst()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::drainAndStop, "drain"));
        proxy.awaitStopped();
    }
}
