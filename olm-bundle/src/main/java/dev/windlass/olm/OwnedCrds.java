package dev.windlass.olm;

import dev.windlass.api.crd.MeshControlPlaneCrd;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Every CRD that the api-crds module generates: each {@code META-INF/fabric8/*-v1.yml} beside the
 * MeshControlPlane CRD, in the api-crds jar (or its classes directory inside a build). A CRD added to api-crds
 * is owned by the bundle without any change here.
 */
public final class OwnedCrds {
    private static final String SUFFIX = "-v1.yml";

    private OwnedCrds() {
    }

    /** The CRDs, sorted by name. */
    public static List<CustomResourceDefinition> fromApiCrds() {
        URL known = MeshControlPlaneCrd.class.getClassLoader().getResource(MeshControlPlaneCrd.RESOURCE);
        if (known == null) {
            throw new IllegalStateException(MeshControlPlaneCrd.RESOURCE + " is missing from the classpath; build api-crds first");
        }
        try {
            List<CustomResourceDefinition> crds = known.getProtocol().equals("jar") ? fromJar(known) : fromDirectory(known);
            return crds.stream().sorted(Comparator.comparing(crd -> crd.getMetadata().getName())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the CRDs beside " + known, e);
        }
    }

    private static List<CustomResourceDefinition> fromJar(URL known) throws IOException {
        JarURLConnection connection = (JarURLConnection) known.openConnection();
        connection.setUseCaches(false);
        String directory = connection.getEntryName().substring(0, connection.getEntryName().lastIndexOf('/') + 1);
        List<CustomResourceDefinition> crds = new ArrayList<>();
        try (JarFile jar = connection.getJarFile()) {
            for (var entries = jar.entries(); entries.hasMoreElements(); ) {
                var entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(directory) && name.indexOf('/', directory.length()) < 0 && name.endsWith(SUFFIX)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        crds.add(read(in));
                    }
                }
            }
        }
        return crds;
    }

    private static List<CustomResourceDefinition> fromDirectory(URL known) throws IOException {
        Path directory;
        try {
            directory = Path.of(known.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        return readAll(directory, SUFFIX);
    }

    /** Every CRD file in a directory whose name ends with {@code suffix} (the baseline uses ".yaml"). */
    public static List<CustomResourceDefinition> readAll(Path directory, String suffix) throws IOException {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    crds.add(read(in));
                }
            }
        }
        return crds;
    }

    private static CustomResourceDefinition read(InputStream in) {
        return Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
}
