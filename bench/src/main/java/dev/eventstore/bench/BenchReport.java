package dev.eventstore.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The figures of a run, side by side, as a table and as JSON. */
final class BenchReport {

    /** @param baseline absent when the figure has no counterpart in the baseline */
    record Figure(String workload, String metric, String unit, double store, Double baseline) {
        Double ratio() {
            return baseline == null || baseline == 0 ? null : store / baseline;
        }
    }

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Object> setup;
    private String ratioWithheld;
    private Double headlineRatio;

    BenchReport(Map<String, Object> setup) {
        this.setup = setup;
    }

    void add(String workload, String metric, String unit, double store, Double baseline) {
        figures.add(new Figure(workload, metric, unit, store, baseline));
    }

    Double ratio(String workload) {
        return figures.stream().filter(f -> f.workload().equals(workload)).findFirst().map(Figure::ratio).orElse(null);
    }

    /** The run's W1 ratio, where it is not that of W1's first row (the median of alternated pairs' ratios). */
    void headlineRatio(double ratio) {
        headlineRatio = ratio;
    }

    /** The run gives no W1 ratio, for this reason (the first one given). */
    void withholdRatio(String why) {
        if (ratioWithheld == null) {
            ratioWithheld = why;
        }
    }

    /** The run's last line: W1's ratio, or why there is none. */
    String ratioLine() {
        String ratio = ratioWithheld == null ? String.format("%.2f", headlineRatio != null ? headlineRatio : ratio("W1")) : "none, " + ratioWithheld;
        return "W1 appends/s ratio vs postgres baseline: " + ratio;
    }

    void printTable(PrintStream out) {
        String format = "%-9s %-40s %14s %14s %8s%n";
        out.printf("machine: %s, %s cores%n", setup.getOrDefault("cpu", "unknown"), setup.getOrDefault("cores", "?"));
        out.printf(format, "workload", "metric", "eventstore", "postgres", "ratio");
        for (Figure f : figures) {
            out.printf(format, f.workload(), f.metric() + " (" + f.unit() + ")", number(f.store()),
                    f.baseline() == null ? "-" : number(f.baseline()), f.ratio() == null ? "-" : String.format("%.2f", f.ratio()));
        }
    }

    private static String number(double value) {
        return value >= 100 ? String.format("%,.0f", value) : String.format("%.2f", value);
    }

    void writeJson(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.set("setup", json.valueToTree(setup));
        if (ratioWithheld != null) {
            root.put("w1RatioWithheld", ratioWithheld);
        } else if (headlineRatio != null) {
            root.put("w1Ratio", headlineRatio);
        }
        ArrayNode rows = root.putArray("figures");
        for (Figure f : figures) {
            ObjectNode row = rows.addObject();
            row.put("workload", f.workload());
            row.put("metric", f.metric());
            row.put("unit", f.unit());
            row.put("eventstore", f.store());
            if (f.baseline() != null) {
                row.put("postgres", f.baseline());
            }
            if (f.ratio() != null) {
                row.put("ratio", f.ratio());
            }
        }
        json.writeValue(file.toFile(), root);
    }
}
