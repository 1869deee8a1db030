package dev.recloser.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.Tick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGHints;
import org.jfree.svg.SVGUtils;
import org.jfree.svg.ViewBox;

/**
 * A grouped horizontal bar chart, drawn by JFreeChart and written as SVG by JFreeSVG: one block
 * per group (a path) under its title, one labelled bar per library, the value written at the end of
 * each bar, optional error whiskers, on a logarithmic or linear axis with grid lines.
 *
 * <p>JFreeChart lays out the text with the fonts of the machine that runs the generator (AWT,
 * headless): the same data on the same machine gives the same file.
 */
final class BarChart {

    static {
        // Font metrics only: no display is needed or wanted.
        System.setProperty("java.awt.headless", "true");
    }

    enum Scale {
        /** For times that span 1 ns to µs. Values ≤ 0 get no bar, only their label. */
        LOG,
        /** From zero. */
        LINEAR
    }

    /**
     * One bar.
     *
     * @param label      left of the bar
     * @param value      its length
     * @param error      a whisker of ± error around the value; NaN or 0 for none
     * @param color      fill, {@code #rrggbb}
     * @param valueText  written right of the bar
     * @param tooltip    the bar's {@code <title>}, may be null
     * @param emphasis   its label in bold
     */
    record Bar(String label, double value, double error, String color, String valueText, String tooltip,
               boolean emphasis) {
    }

    /** A titled block of bars. */
    record Group(String title, List<Bar> bars) {
    }

    private static final int WIDTH = 960;
    private static final int ROW = 20;
    private static final String FONT = "SansSerif";
    private static final Color MUTED = new Color(0x555555);
    private static final Color WHISKER = new Color(0x222222);

    private final String title;
    private final String subtitle;
    private final String axisTitle;
    private final Scale scale;
    private final List<Group> groups;
    private final double domainMin;
    private final double domainMax;

    /**
     * A chart whose axis covers its own bars, or at least {@code [domainMin, domainMax]} (NaN for
     * none), so that charts to be compared side by side can share one axis.
     */
    BarChart(String title, String subtitle, String axisTitle, Scale scale, List<Group> groups, double domainMin,
             double domainMax) {
        this.title = title;
        this.subtitle = subtitle;
        this.axisTitle = axisTitle;
        this.scale = scale;
        this.groups = List.copyOf(groups);
        this.domainMin = domainMin;
        this.domainMax = domainMax;
    }

    String title() {
        return title;
    }

    /** Whether the chart has no bar at all (nothing of what it shows was measured). */
    boolean isEmpty() {
        return groups.isEmpty();
    }

    /** The smallest positive value and the largest value plus error of some bars. */
    static double[] extent(List<Group> groups) {
        double max = 0;
        double minPositive = Double.POSITIVE_INFINITY;
        for (Group g : groups) {
            for (Bar b : g.bars()) {
                max = Math.max(max, b.value() + (hasError(b) ? b.error() : 0));
                if (b.value() > 0) {
                    minPositive = Math.min(minPositive, b.value());
                }
            }
        }
        return new double[] {minPositive, max};
    }

    /**
     * The axis range: on a log scale from the decade at or below the smallest value, on a linear
     * one from zero, to past the largest value with room for the value written after it.
     */
    static double[] range(Scale scale, double minPositive, double max) {
        if (scale == Scale.LINEAR) {
            return new double[] {0, max <= 0 ? 1 : max * 1.15};
        }
        if (Double.isInfinite(minPositive) || minPositive <= 0) {
            minPositive = 1;
        }
        double lo = Math.pow(10, Math.floor(Math.log10(minPositive) + 1e-9));
        return new double[] {lo, Math.max(lo * 10, max * 2.5)};
    }

    /** One category of the plot: a group's title row or one bar. */
    private record Key(int index, Group group, Bar bar) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return Integer.compare(index, o.index);
        }

        /** The axis label: the bar's, none on a title row (the renderer writes the title in the plot). */
        @Override
        public String toString() {
            return bar == null ? "" : bar.label();
        }
    }

    String render() {
        List<Key> keys = new ArrayList<>();
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Group g : groups) {
            keys.add(new Key(keys.size(), g, null));
            for (Bar b : g.bars()) {
                keys.add(new Key(keys.size(), g, b));
            }
        }
        double[] extent = extent(groups);
        double minPositive = Double.isNaN(domainMin) ? extent[0] : Math.min(extent[0], domainMin);
        double maxValue = Double.isNaN(domainMax) ? extent[1] : Math.max(extent[1], domainMax);
        double[] range = range(scale, minPositive, maxValue);
        for (Key k : keys) {
            boolean drawn = k.bar() != null && (scale == Scale.LINEAR || k.bar().value() > 0);
            data.addValue(drawn ? Double.valueOf(k.bar().value()) : null, "value", k);
        }

        CategoryAxis categories = new CategoryAxis();
        categories.setTickLabelFont(new Font(FONT, Font.PLAIN, 12));
        categories.setTickMarksVisible(false);
        categories.setLowerMargin(0.01);
        categories.setUpperMargin(0.01);
        categories.setCategoryMargin(0.05);
        categories.setMaximumCategoryLabelWidthRatio(0.45f);
        for (Key k : keys) {
            if (k.bar() != null && k.bar().emphasis()) {
                categories.setTickLabelFont(k, new Font(FONT, Font.BOLD, 12));
            }
        }

        ValueAxis values;
        DecimalFormat numbers = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
        if (scale == Scale.LOG) {
            LogAxis log = new DecadeAxis(axisTitle, numbers);
            log.setTickUnit(new NumberTickUnit(1)); // one decade
            log.setMinorTickCount(9);
            values = log;
        } else {
            NumberAxis linear = new NumberAxis(axisTitle);
            linear.setNumberFormatOverride(numbers);
            values = linear;
        }
        values.setRange(range[0], range[1]);
        values.setLabelFont(new Font(FONT, Font.PLAIN, 12));
        values.setTickLabelFont(new Font(FONT, Font.PLAIN, 11));
        values.setTickLabelPaint(MUTED);
        values.setMinorTickMarksVisible(scale == Scale.LOG);

        Renderer renderer = new Renderer(scale == Scale.LOG ? range[0] : 0);
        CategoryPlot plot = new CategoryPlot(data, categories, values, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinePaint(new Color(0xd0d0d0));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setRangeMinorGridlinesVisible(scale == Scale.LOG);
        plot.setRangeMinorGridlinePaint(new Color(0xe4e4e4));
        plot.setRangeMinorGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);

        JFreeChart chart = new JFreeChart(null, null, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 16, 8, 16));
        TextTitle heading = new TextTitle(title, new Font(FONT, Font.BOLD, 17));
        heading.setHorizontalAlignment(HorizontalAlignment.LEFT);
        chart.addSubtitle(heading);
        if (subtitle != null && !subtitle.isEmpty()) {
            TextTitle sub = new TextTitle(subtitle, new Font(FONT, Font.PLAIN, 12));
            sub.setPaint(MUTED);
            sub.setHorizontalAlignment(HorizontalAlignment.LEFT);
            sub.setPadding(new RectangleInsets(2, 0, 8, 0));
            chart.addSubtitle(sub);
        }

        int height = 120 + keys.size() * ROW;
        SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, height);
        g2.setDefsKeyPrefix("chart"); // the default holds the time, which would make every file differ
        g2.setGeomDoubleConverter(SVGUtils.createDoubleConverter(1));
        g2.setTransformDoubleConverter(SVGUtils.createDoubleConverter(3));
        chart.draw(g2, new Rectangle2D.Double(0, 0, WIDTH, height));
        // One element per line, for readable diffs ('<' and '>' in text are escaped, so this splits no text).
        String svg = g2.getSVGElement(null, true, new ViewBox(0, 0, WIDTH, height), null, null).replace("><", ">\n<");
        int open = svg.indexOf('>') + 1;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!-- Generated by dev.recloser.benchmarks.report.ReportGenerator; do not edit. -->\n"
                + svg.substring(0, open) + "<title>" + SVGUtils.escapeForXML(title) + "</title>" + svg.substring(open)
                + "\n";
    }

    private static boolean hasError(Bar b) {
        return !Double.isNaN(b.error()) && b.error() > 0;
    }

    /**
     * A log axis labelled at each decade with plain numbers ("1", "1,000"): JFreeChart's own labels
     * are attributed strings, which JFreeSVG writes as glyph outlines rather than text.
     */
    private static final class DecadeAxis extends LogAxis {

        private static final long serialVersionUID = 1L;

        DecadeAxis(String label, NumberFormat format) {
            super(label);
            setNumberFormatOverride(format);
        }

        @Override
        public List<Tick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            List<Tick> ticks = new ArrayList<>();
            for (Object o : super.refreshTicks(g2, state, dataArea, edge)) {
                ValueTick t = (ValueTick) o;
                String text = t.getTickType() == TickType.MAJOR ? getNumberFormatOverride().format(t.getValue()) : "";
                ticks.add(new NumberTick(t.getTickType(), t.getValue(), text, t.getTextAnchor(), t.getRotationAnchor(),
                        t.getAngle()));
            }
            return ticks;
        }
    }

    /**
     * Colours each bar by its library, gives it its tooltip, and adds what JFreeChart's bar
     * renderer does not draw: the group titles, the whiskers (clipped to the axis, so that an error
     * larger than the value stays on a log scale) and the value written after bar and whisker.
     */
    private static final class Renderer extends BarRenderer {

        private static final long serialVersionUID = 1L;

        Renderer(double base) {
            setBase(base);
            setBarPainter(new StandardBarPainter());
            setShadowVisible(false);
            setDrawBarOutline(false);
            setItemMargin(0);
            setMaximumBarWidth(0.75);
        }

        private static Key key(CategoryDataset dataset, int column) {
            return (Key) dataset.getColumnKey(column);
        }

        @Override
        public Paint getItemPaint(int row, int column) {
            Bar bar = key(getPlot().getDataset(), column).bar();
            return bar == null ? Color.GRAY : Color.decode(bar.color());
        }

        @Override
        public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot,
                             CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row, int column,
                             int pass) {
            Key key = key(dataset, column);
            double mid = domainAxis.getCategoryMiddle(column, dataset.getColumnCount(), dataArea,
                    plot.getDomainAxisEdge());
            if (key.bar() == null) {
                g2.setFont(new Font(FONT, Font.BOLD, 13));
                g2.setPaint(Color.BLACK);
                g2.drawString(key.group().title(), (float) dataArea.getMinX() + 4, (float) mid + 5);
                return;
            }
            Bar bar = key.bar();
            boolean drawn = dataset.getValue(row, column) != null;
            if (drawn && bar.tooltip() != null) {
                // JFreeSVG gives the next element, the bar, this <title>.
                g2.setRenderingHint(SVGHints.KEY_ELEMENT_TITLE, bar.tooltip());
            }
            super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
            double end = drawn ? x(bar.value(), rangeAxis, dataArea, plot) : dataArea.getMinX();
            double labelX = end;
            if (hasError(bar)) {
                double lo = x(bar.value() - bar.error(), rangeAxis, dataArea, plot);
                double hi = x(bar.value() + bar.error(), rangeAxis, dataArea, plot);
                g2.setPaint(WHISKER);
                g2.setStroke(new BasicStroke(1.2f));
                g2.draw(new Line2D.Double(lo, mid, hi, mid));
                if (bar.value() - bar.error() > rangeAxis.getLowerBound()) {
                    g2.draw(new Line2D.Double(lo, mid - 4, lo, mid + 4));
                }
                g2.draw(new Line2D.Double(hi, mid - 4, hi, mid + 4));
                labelX = Math.max(labelX, hi);
            }
            g2.setFont(new Font(FONT, Font.PLAIN, 11));
            g2.setPaint(Color.BLACK);
            g2.drawString(bar.valueText(), (float) labelX + 5, (float) mid + 4);
        }

        /** The x of a value, clipped to the plot (a log axis has no x for values ≤ 0). */
        private static double x(double value, ValueAxis axis, Rectangle2D dataArea, CategoryPlot plot) {
            double v = Math.max(axis.getLowerBound(), Math.min(axis.getUpperBound(), value));
            return axis.valueToJava2D(v, dataArea, plot.getRangeAxisEdge());
        }
    }
}
