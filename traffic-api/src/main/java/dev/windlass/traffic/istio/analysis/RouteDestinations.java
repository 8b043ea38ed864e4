package dev.windlass.traffic.istio.analysis;

import dev.windlass.traffic.istio.Destination;
import dev.windlass.traffic.istio.HttpRoute;
import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.ArrayList;
import java.util.List;

/** Every destination a VirtualService names, with its field path, split as Istio's analyzers split them. */
final class RouteDestinations {
    private RouteDestinations() {
    }

    /** A destination and the path of its {@code destination} object ({@code spec.http[0].route[1].destination}). */
    record Named(Destination destination, String path) {
    }

    /** The route destinations of http, tcp and tls rules. */
    static List<Named> routes(VirtualServiceSpec spec) {
        List<Named> all = new ArrayList<>();
        for (int i = 0; i < spec.http().size(); i++) {
            List<HttpRoute.RouteDestination> route = spec.http().get(i).route();
            for (int d = 0; d < route.size(); d++) {
                add(all, route.get(d).destination(), "spec.http[" + i + "].route[" + d + "].destination");
            }
        }
        for (int i = 0; i < spec.tcp().size(); i++) {
            l4(all, spec.tcp().get(i).route(), "spec.tcp[" + i + "]");
        }
        for (int i = 0; i < spec.tls().size(); i++) {
            l4(all, spec.tls().get(i).route(), "spec.tls[" + i + "]");
        }
        return all;
    }

    /** The mirror destinations of http rules: {@code mirror} and each of {@code mirrors}. */
    static List<Named> mirrors(VirtualServiceSpec spec) {
        List<Named> all = new ArrayList<>();
        for (int i = 0; i < spec.http().size(); i++) {
            HttpRoute route = spec.http().get(i);
            add(all, route.mirror(), "spec.http[" + i + "].mirror");
            for (int m = 0; m < route.mirrors().size(); m++) {
                add(all, route.mirrors().get(m).destination(), "spec.http[" + i + "].mirrors[" + m + "].destination");
            }
        }
        return all;
    }

    private static void l4(List<Named> all, List<VirtualServiceSpec.RouteDestination> route, String rule) {
        for (int d = 0; d < route.size(); d++) {
            add(all, route.get(d).destination(), rule + ".route[" + d + "].destination");
        }
    }

    private static void add(List<Named> all, Destination destination, String path) {
        if (destination != null && destination.host() != null) {
            all.add(new Named(destination, path));
        }
    }
}
