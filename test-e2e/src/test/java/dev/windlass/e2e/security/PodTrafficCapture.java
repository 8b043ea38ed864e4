package dev.windlass.e2e.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packet capture on the node (the local cluster's pods hang off a bridge in this host's network namespace): the
 * TCP payloads to and from one pod address and port, as {@code capture/pod_traffic.py} reads them from an
 * AF_PACKET socket, i.e. what anyone on the pod network sees.
 */
final class PodTrafficCapture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One TCP segment with a payload. */
    record Segment(String from, String to, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }

        /** A TLS record (handshake 0x16 or application data 0x17) of version 3.x starts the payload. */
        boolean startsTls() {
            return payload.length >= 3 && (payload[0] == 0x16 || payload[0] == 0x17) && payload[1] == 0x03;
        }

        boolean contains(byte... bytes) {
            return HexFormat.of().formatHex(payload).contains(HexFormat.of().formatHex(bytes));
        }
    }

    private final Process process;
    private final BufferedReader lines;

    private PodTrafficCapture(Process process) {
        this.process = process;
        this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts capturing {@code ip:port} for at most {@code seconds}; returns once the socket is open. */
    static PodTrafficCapture start(String ip, int port, int seconds) throws IOException {
        Path script = Files.createTempFile("pod_traffic", ".py");
        try (InputStream in = PodTrafficCapture.class.getResourceAsStream("/capture/pod_traffic.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process process = new ProcessBuilder("python3", script.toString(), ip, String.valueOf(port), String.valueOf(seconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PodTrafficCapture capture = new PodTrafficCapture(process);
        String first = capture.lines.readLine();
        if (first == null || !first.contains("ready")) {
            throw new IOException("the capture did not start (needs python3 and CAP_NET_RAW); it said: " + first);
        }
        return capture;
    }

    /** Stops capturing (after a moment for the last segments) and returns what it saw, in order. */
    List<Segment> segments() throws IOException, InterruptedException {
        Thread.sleep(1_000);
        process.toHandle().destroy(); // Process.destroy() would close the output still to be read
        List<Segment> segments = new ArrayList<>();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            JsonNode node = JSON.readTree(line);
            segments.add(new Segment(node.path("from").asText(), node.path("to").asText(),
                    HexFormat.of().parseHex(node.path("payload").asText())));
        }
        process.waitFor(30, TimeUnit.SECONDS);
        return segments;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
