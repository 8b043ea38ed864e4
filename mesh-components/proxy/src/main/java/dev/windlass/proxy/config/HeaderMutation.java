package dev.windlass.proxy.config;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.List;

/**
 * Header edits compiled once per config update: names pre-lowercased as AsciiStrings, values unescaped
 * ({@code %%} is Envoy's literal %). Applied in Envoy's order: removals, then each add or overwrite.
 */
public final class HeaderMutation {
    public static final HeaderMutation NONE = new HeaderMutation(List.of(), List.of());

    /** {@code append} false overwrites the header, true adds another value. */
    public record Edit(AsciiString name, String value, boolean append) {
    }

    private final Edit[] edits;
    private final AsciiString[] removals;

    public HeaderMutation(List<Edit> edits, List<AsciiString> removals) {
        this.edits = edits.toArray(Edit[]::new);
        this.removals = removals.toArray(AsciiString[]::new);
    }

    public boolean isEmpty() {
        return edits.length == 0 && removals.length == 0;
    }

    public void apply(HttpHeaders headers) {
        for (AsciiString name : removals) {
            headers.remove(name);
        }
        for (Edit edit : edits) {
            if (edit.append()) {
                headers.add(edit.name(), edit.value());
            } else {
                headers.set(edit.name(), edit.value());
            }
        }
    }

    public List<Edit> edits() {
        return List.of(edits);
    }

    public List<AsciiString> removals() {
        return List.of(removals);
    }

    static String unescape(String envoyValue) {
        return envoyValue.replace("%%", "%");
    }
}
