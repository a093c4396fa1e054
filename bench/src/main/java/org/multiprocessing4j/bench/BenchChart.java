package org.multiprocessing4j.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/**
 * The runner's chart: one bar per row and JDK, the ratio ours / CPython on a logarithmic axis, with a
 * line at 1 (as fast, or as big, as CPython). Drawn with XChart into a PNG.
 */
final class BenchChart {
    /** One category of the chart: its label and the ratio per JDK (null: no figure). */
    record Bar(String label, Map<Integer, Double> ratios) {
    }

    private BenchChart() {
    }

    /** Draws the bars and writes the same PNG to every file given. */
    static void write(String title, List<Bar> bars, List<Integer> jdks, List<Path> files) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int width = Math.max(1000, 160 + bars.size() * (20 * jdks.size() + 16));
        CategoryChart chart = new CategoryChartBuilder().width(width).height(1100).title(title)
                .xAxisTitle("").yAxisTitle("ours / CPython (log scale; the line: 1, as CPython)").build();
        Styler.LegendPosition legend = Styler.LegendPosition.InsideNE;
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setXAxisTickMarkSpacingHint(8); // a label under every bar, however narrow
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);

        // a bar chart on a log axis needs a positive minimum (its default, 0, fails): whole decades around the data
        double lo = 1;
        double hi = 1;
        for (Bar b : bars) {
            for (Double r : b.ratios().values()) {
                if (r != null && r > 0) {
                    lo = Math.min(lo, r);
                    hi = Math.max(hi, r);
                }
            }
        }
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo / 1.5))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi))));

        List<String> labels = bars.stream().map(Bar::label).toList();
        Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};
        int i = 0;
        for (int jdk : jdks) {
            List<Double> values = new ArrayList<>();
            for (Bar b : bars) {
                Double r = b.ratios().get(jdk);
                values.add(r == null || !(r > 0) ? Double.NaN : r); // no bar (a null fails the log axis)
            }
            CategorySeries s = chart.addSeries("JDK " + jdk, labels, values);
            s.setFillColor(colors[i++ % colors.length]);
        }
        CategorySeries one = chart.addSeries("1 = CPython", labels, labels.stream().map(x -> 1.0).toList());
        one.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        one.setLineColor(Color.BLACK);
        one.setLineStyle(new BasicStroke(1.5f));
        one.setMarker(new org.knowm.xchart.style.markers.None());
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        for (Path f : files) {
            if (!ImageIO.write(image, "png", f.toFile())) {
                throw new IOException("no PNG writer");
            }
        }
    }
}
