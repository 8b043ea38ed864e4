package dev.windlass.cli;

/**
 * An image reference in the form the nodes report it ({@code docker.io/windlass/operator:0.2.0}), so that the short
 * name in a pod spec and the full name in a Node's status compare equal.
 */
record ImageRef(String registry, String repository, String tag) {
    private static final String DOCKER_HUB = "docker.io";
    /** This build's default repository: its images are not published, they exist only where they were loaded. */
    private static final String UNPUBLISHED_REPOSITORY = "windlass/";

    /** Parses a reference as the container runtimes do; a digest reference keeps its digest in place of the tag. */
    static ImageRef parse(String reference) {
        String rest = reference;
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first.equals("index.docker.io") ? DOCKER_HUB : first;
                rest = rest.substring(slash + 1);
            }
        }
        String tag = "latest";
        int at = rest.indexOf('@');
        int colon = rest.lastIndexOf(':');
        if (at >= 0) {
            tag = rest.substring(at);
            rest = rest.substring(0, at);
        } else if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        return new ImageRef(registry, rest, tag);
    }

    /** True for this build's own images under their default name, which no registry serves. */
    boolean unpublished() {
        return registry.equals(DOCKER_HUB) && repository.startsWith(UNPUBLISHED_REPOSITORY);
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag.startsWith("@") ? tag : ":" + tag);
    }
}
