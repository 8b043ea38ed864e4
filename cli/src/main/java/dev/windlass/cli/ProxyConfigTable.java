package dev.windlass.cli;

import java.util.ArrayList;
import java.util.List;

/** A table printed as kubectl and istioctl print theirs: upper-case headers, columns padded to their widest cell. */
record ProxyConfigTable(List<String> headers, List<List<String>> rows) {
    private static final String GAP = "   ";

    ProxyConfigTable {
        headers = List.copyOf(headers);
        rows = List.copyOf(rows);
    }

    static ProxyConfigTable of(String... headers) {
        return new ProxyConfigTable(List.of(headers), new ArrayList<>());
    }

    ProxyConfigTable withRow(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells for " + headers.size() + " columns");
        }
        List<List<String>> more = new ArrayList<>(rows);
        more.add(List.of(cells));
        return new ProxyConfigTable(headers, more);
    }

    String render() {
        int[] widths = new int[headers.size()];
        for (List<String> line : lines()) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines()) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                text.append(line.get(i));
                if (i < widths.length - 1) {
                    text.append(" ".repeat(widths[i] - line.get(i).length())).append(GAP);
                }
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private List<List<String>> lines() {
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        return all;
    }
}
