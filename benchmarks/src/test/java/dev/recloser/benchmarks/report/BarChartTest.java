package dev.recloser.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class BarChartTest {

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagName("text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    static List<String> titles(Document doc) {
        NodeList nodes = doc.getElementsByTagName("title");
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            titles.add(nodes.item(i).getTextContent());
        }
        return titles;
    }

    private static BarChart chart(BarChart.Scale scale) {
        return new BarChart("Time <per> call", "sub & more", "ns/op", scale, List.of(
                new BarChart.Group("closed & open", List.of(
                        new BarChart.Bar("Recloser", 8.9, 0.3, "#0072B2", "8.9 ns", "tip <&>", true),
                        new BarChart.Bar("Peer", 1045, 1177, "#E69F00", "1,045 ns", null, false))),
                new BarChart.Group("zero", List.of(
                        new BarChart.Bar("Nothing", 0, Double.NaN, "#009E73", "0 ns", "nothing", false)))),
                Double.NaN, Double.NaN);
    }

    @Test
    void drawsOneLabelledBarPerValueOnALogAxis() throws Exception {
        String svg = chart(BarChart.Scale.LOG).render();
        Document doc = parse(svg);
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(doc.getDocumentElement().getAttribute("viewBox")).startsWith("0 0 960 ");
        assertThat(texts(doc)).contains("Time <per> call", "sub & more", "closed & open", "zero", "Recloser",
                "8.9 ns", "Peer", "1,045 ns", "Nothing", "0 ns", "1", "10", "100", "1,000", "ns/op");
        // The document's title, then the bars' tooltips: the zero value on a log axis gets its label, no bar.
        assertThat(titles(doc)).containsExactly("Time <per> call", "tip <&>");
        assertThat(bars(svg, "rgb(0,114,178)")).isEqualTo(1);
        assertThat(bars(svg, "rgb(230,159,0)")).isEqualTo(1);
        assertThat(bars(svg, "rgb(0,158,115)")).isZero();
    }

    @Test
    void aLinearAxisStartsAtZeroAndDrawsTheZeroBar() throws Exception {
        String svg = chart(BarChart.Scale.LINEAR).render();
        Document doc = parse(svg);
        assertThat(titles(doc)).containsExactly("Time <per> call", "tip <&>", "nothing");
        assertThat(texts(doc)).contains("0", "1,000", "2,000");
    }

    @Test
    void theSameChartGivesTheSameFile() {
        assertThat(chart(BarChart.Scale.LOG).render()).isEqualTo(chart(BarChart.Scale.LOG).render());
    }

    @Test
    void logRangeStartsOnADecadeAndLeavesRoomForTheValues() {
        assertThat(BarChart.range(BarChart.Scale.LOG, 0.4, 2656)).containsExactly(0.1, 2656 * 2.5);
        assertThat(BarChart.range(BarChart.Scale.LOG, 8.9, 12)).containsExactly(1, 30);
        assertThat(BarChart.range(BarChart.Scale.LOG, Double.POSITIVE_INFINITY, 0)).containsExactly(1, 10);
        assertThat(BarChart.range(BarChart.Scale.LINEAR, 1, 1000)).containsExactly(0, 1150);
    }

    /** Filled shapes of one colour. */
    private static int bars(String svg, String rgb) {
        int n = 0;
        for (int i = svg.indexOf("fill:" + rgb); i >= 0; i = svg.indexOf("fill:" + rgb, i + 1)) {
            n++;
        }
        return n;
    }
}
