package dev.windlass.olm;

import java.util.Locale;

/** Display names from Kubernetes identifiers. */
final class Names {
    private Names() {
    }

    /** "MeshControlPlane" and "updateStrategy type" become "Mesh Control Plane" and "Update Strategy Type". */
    static String words(String identifier) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            boolean boundary = i > 0 && Character.isUpperCase(c) && Character.isLowerCase(identifier.charAt(i - 1));
            if (boundary) {
                out.append(' ');
            }
            boolean wordStart = i == 0 || boundary || identifier.charAt(i - 1) == ' ';
            out.append(wordStart ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    /** A relatedImages name: lower case letters, digits and dashes. */
    static String dns(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
