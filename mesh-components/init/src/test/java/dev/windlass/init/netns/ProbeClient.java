package dev.windlass.init.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Connects to each target and prints what answered, for the network-namespace test. Usage:
 * {@code ProbeClient [SOURCE@]HOST:PORT...}; SOURCE, if given, is the local address to bind. Prints one line per
 * target: {@code TARGET -> REPLY}, or {@code TARGET -> ERROR ...}. Connect and read each time out after 3 seconds.
 */
public final class ProbeClient {
    private static final int TIMEOUT_MILLIS = 3000;

    private ProbeClient() {
    }

    public static void main(String[] args) {
        for (String target : args) {
            System.out.println(target + " -> " + probe(target));
        }
    }

    private static String probe(String target) {
        int at = target.indexOf('@');
        String source = at < 0 ? null : target.substring(0, at);
        String hostPort = target.substring(at + 1);
        int colon = hostPort.lastIndexOf(':');
        InetSocketAddress address =
                new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        try (Socket socket = new Socket()) {
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
            socket.connect(address, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String line = reader.readLine();
            return line == null ? "ERROR no reply" : line;
        } catch (IOException e) {
            return "ERROR " + e;
        }
    }
}
