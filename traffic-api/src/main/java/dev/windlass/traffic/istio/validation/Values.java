package dev.windlass.traffic.istio.validation;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.windlass.traffic.istio.Destination;
import dev.windlass.traffic.istio.Durations;
import dev.windlass.traffic.istio.Percent;
import dev.windlass.traffic.istio.StringMatch;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks of single values that Istio's validation applies in many places. */
final class Values {
    private static final java.util.regex.Pattern DNS_LABEL = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final java.util.regex.Pattern HOST_LABEL = java.util.regex.Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?");
    private static final java.util.regex.Pattern HEADER_NAME = java.util.regex.Pattern.compile("[-_A-Za-z0-9]+");
    private static final java.util.regex.Pattern LABEL_NAME = java.util.regex.Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
    private static final java.util.regex.Pattern LABEL_VALUE = java.util.regex.Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private Values() {
    }

    /** Istio: at least 1ms, and nothing finer than a millisecond. Returns null when invalid. */
    static Duration duration(String path, String text, Errors errors) {
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(path, e.getMessage());
            return null;
        }
        if (d.compareTo(Duration.ofMillis(1)) < 0) {
            errors.add(path, "duration must be greater than 1ms, got " + text);
            return null;
        }
        if (d.getNano() % 1_000_000 != 0) {
            errors.add(path, "only durations to ms precision are supported, got " + text);
            return null;
        }
        return d;
    }

    /** Istio's unsigned counts: a negative one is refused. */
    static void nonNegative(String path, Integer value, Errors errors) {
        if (value != null && value < 0) {
            errors.add(path, "must be non-negative, got " + value);
        }
    }

    /** A host in a rule: a DNS name, possibly short, possibly with one leading wildcard label ({@code *.example.com}). */
    static boolean validHost(String host) {
        if (host == null || host.isEmpty() || host.length() > 255) {
            return false;
        }
        if (host.equals("*")) {
            return true;
        }
        String rest = host.startsWith("*.") ? host.substring(2) : host;
        for (String label : rest.split("\\.", -1)) {
            if (label.length() > 63 || !HOST_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    static void host(String path, String host, Errors errors) {
        if (host == null || host.isEmpty()) {
            errors.add(path, "empty domain name not allowed");
        } else if (!validHost(host) && !isIp(host)) {
            errors.add(path, "domain name \"" + host + "\" invalid (a DNS name, optionally with a leading *. wildcard)");
        }
    }

    static boolean isIp(String text) {
        if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return java.util.Arrays.stream(text.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        }
        return text.contains(":") && text.matches("[0-9a-fA-F:.]+");
    }

    /** An IP address, or a CIDR block ({@code 10.0.0.0/8}) whose prefix fits the address family. */
    static boolean isIpOrCidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return isIp(text);
        }
        String address = text.substring(0, slash);
        String prefix = text.substring(slash + 1);
        if (!isIp(address) || !prefix.matches("\\d{1,3}")) {
            return false;
        }
        return Integer.parseInt(prefix) <= (address.contains(":") ? 128 : 32);
    }

    static boolean dnsLabel(String name) {
        return name != null && name.length() <= 63 && DNS_LABEL.matcher(name).matches();
    }

    static void port(String path, Integer port, Errors errors) {
        if (port != null && (port < 1 || port > 65535)) {
            errors.add(path, "port number " + port + " must be in the range 1..65535");
        }
    }

    static void percent(String path, Percent percent, Errors errors) {
        double v = percent == null || percent.value() == null ? 0 : percent.value();
        if (v < 0 || v > 100 || (v > 0 && v < 0.0001)) {
            errors.add(path, "percentage " + v + " is neither 0.0, nor in range [0.0001, 100.0]");
        }
    }

    /** Istio: not empty, at most 1024 characters, and RE2 syntax (no lookaround, no backreferences). */
    static void regex(String path, String regex, Errors errors) {
        if (regex.isEmpty()) {
            errors.add(path, "regex string match should not be empty");
            return;
        }
        if (regex.length() > 1024) {
            errors.add(path, "regex is too large, max length allowed is 1024");
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            errors.add(path, e.getDescription() + " in \"" + regex
                    + "\"; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)");
        }
    }

    /** A StringMatch: at most one of exact, prefix, regex (Istio's oneof), and a regex RE2 accepts. */
    static void stringMatch(String path, StringMatch match, Errors errors) {
        if (match == null) {
            return;
        }
        if (match.setCount() > 1) {
            errors.add(path, "only one of exact, prefix or regex may be set");
        } else if (match.regex() != null) {
            regex(path + ".regex", match.regex(), errors);
        } else if ("".equals(match.prefix())) {
            errors.add(path + ".prefix", "prefix string match should not be empty");
        }
    }

    /** Istio's rule for header names in matches and CORS lists: letters, digits, '-' and '_'. */
    static void headerName(String path, String name, Errors errors) {
        if (name == null || name.isEmpty()) {
            errors.add(path, "header name cannot be empty");
        } else if (!HEADER_NAME.matcher(name).matches()) {
            errors.add(path, "header name " + name + " is not a valid header name");
        }
    }

    static void labels(String path, Map<String, String> labels, Errors errors) {
        labels.forEach((key, value) -> {
            String name = key.contains("/") ? key.substring(key.indexOf('/') + 1) : key;
            if (!LABEL_NAME.matcher(name).matches()) {
                errors.add(path + "." + key, "invalid tag key: \"" + key + "\"");
            }
            if (value == null || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                errors.add(path + "." + key, "invalid tag value: \"" + value + "\"");
            }
        });
    }

    /** A destination: a host, a subset name that is a DNS label, a port in range. */
    static void destination(String path, Destination destination, Errors errors) {
        if (destination == null) {
            errors.add(path, "destination is required");
            return;
        }
        if ("*".equals(destination.host())) {
            errors.add(path + ".host", "invalid destination host *");
        } else {
            host(path + ".host", destination.host(), errors);
        }
        subsetName(path + ".subset", destination.subset(), false, errors);
        if (destination.port() != null) {
            if (destination.port().number() == null) {
                errors.add(path + ".port.number", "port number is required");
            }
            port(path + ".port.number", destination.port().number(), errors);
        }
    }

    static void subsetName(String path, String name, boolean required, Errors errors) {
        if (name == null) {
            if (required) {
                errors.add(path, "subset name cannot be empty");
            }
        } else if (name.isEmpty()) {
            errors.add(path, "subset name cannot be empty");
        } else if (!dnsLabel(name)) {
            errors.add(path, "subset name is invalid: " + name);
        }
    }

    /** Istio's exportTo: {@code .}, {@code *}, {@code ~} (alone) or namespace names, no duplicates. */
    static void exportTo(String path, List<String> exportTo, Errors errors) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < exportTo.size(); i++) {
            String entry = exportTo.get(i);
            if (!seen.add(entry)) {
                errors.add(path + "[" + i + "]", "duplicate entries in exportTo for entry " + entry);
            } else if (entry.equals("~")) {
                errors.add(path + "[" + i + "]", "exportTo ~ (none) is not allowed for Istio configuration objects");
            } else if (!entry.equals(".") && !entry.equals("*") && !dnsLabel(entry)) {
                errors.add(path + "[" + i + "]", "only .,*,~, or a valid DNS 1123 label is allowed as exportTo entry");
            }
        }
        if (exportTo.contains("*") && exportTo.size() > 1) {
            errors.add(path, "cannot have both public (*) and non-public exportTo values for a resource");
        }
    }
}
