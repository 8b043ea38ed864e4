package dev.windlass.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/** {@code windlass bug-report}'s archive: text files in a ustar tar.gz, and Secrets with their values redacted. */
final class BugReportArchive {
    static final String REDACTED = "<redacted>";
    private static final int BLOCK = 512;

    private BugReportArchive() {
    }

    /** The objects with each Secret's data and stringData values replaced by {@value #REDACTED}; keys are kept. */
    static List<HasMetadata> redacted(List<HasMetadata> objects) {
        return objects.stream().map(o -> o instanceof Secret secret ? redact(secret) : o).toList();
    }

    private static HasMetadata redact(Secret secret) {
        return new SecretBuilder(secret).withData(blank(secret.getData())).withStringData(blank(secret.getStringData())).build();
    }

    private static Map<String, String> blank(Map<String, String> values) {
        if (values == null) {
            return null;
        }
        Map<String, String> blanked = new TreeMap<>();
        values.keySet().forEach(key -> blanked.put(key, REDACTED));
        return blanked;
    }

    /** Writes the files (path inside the archive to content) as a gzipped ustar archive. */
    static void write(Path archive, Map<String, String> files) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                out.write(header(file.getKey(), content.length));
                out.write(content);
                out.write(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
            }
            out.write(new byte[2 * BLOCK]);
        }
    }

    private static byte[] header(String name, long size) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            throw new IllegalArgumentException("archive path longer than 100 bytes: " + name);
        }
        byte[] header = new byte[BLOCK];
        System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", size));
        put(header, 136, String.format("%011o", System.currentTimeMillis() / 1000));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        return header;
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
