package dev.windlass.discovery.ads;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;

/**
 * A version_info is a hash of the resources sent, so that equal configs carry equal versions (across proxies
 * and restarts of the discovery server), and a push whose content did not change can be skipped.
 */
final class Versions {
    private Versions() {
    }

    static String of(Collection<? extends Message> resources) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization(); // map fields (metadata) in key order
            for (Message m : resources) {
                out.writeMessageNoTag(m);
            }
            out.flush();
            return HexFormat.of().formatHex(sha.digest(bytes.toByteArray()), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
