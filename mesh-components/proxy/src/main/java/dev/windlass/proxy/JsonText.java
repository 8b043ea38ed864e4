package dev.windlass.proxy;

/**
 * JSON string literals for the proxy's log lines and access log. Written here since the proxy has no JSON
 * library of its own (protobuf's JsonFormat serves messages, not lines), and quoting is all these lines need.
 */
public final class JsonText {
    private JsonText() {
    }

    /** {@code value} as a JSON string with its quotes, or {@code null} for null. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
