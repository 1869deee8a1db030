package dev.recloser.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgTest {

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

    @Test
    void escapesMarkupAndDropsControlCharacters() {
        assertThat(Svg.escape("a<b>&\"c\"'d'\u0001")).isEqualTo("a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
    }

    @Test
    void writesAWellFormedDocumentWithSizeAndViewBox() throws Exception {
        String svg = new Svg(300, 120.5)
                .rect(1, 2, 30, 4, "#0072B2", "tip <&>")
                .line(0, 0, 10, 10, "#000", 1, "2,2")
                .text(5, 20, "R&D <b> \"x\"", 12, Svg.Anchor.END, true, "#333333")
                .comment("a -- b")
                .render("title & more");
        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(root.getAttribute("width")).isEqualTo("300");
        assertThat(root.getAttribute("height")).isEqualTo("120.5");
        assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 300 120.5");
        assertThat(texts(doc)).containsExactly("R&D <b> \"x\"");
        Element text = (Element) doc.getElementsByTagName("text").item(0);
        assertThat(text.getAttribute("text-anchor")).isEqualTo("end");
        assertThat(text.getAttribute("font-weight")).isEqualTo("bold");
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("title & more");
        assertThat(doc.getElementsByTagName("title").item(1).getTextContent()).isEqualTo("tip <&>");
        assertThat(doc.getElementsByTagName("line").item(0).getAttributes().getNamedItem("stroke-dasharray")
                .getNodeValue()).isEqualTo("2,2");
    }

    @Test
    void barChartDrawsOneLabelledBarPerValueOnALogAxis() throws Exception {
        BarChart chart = new BarChart("Time <per> call", "sub", "ns/op", BarChart.Scale.LOG, List.of(
                new BarChart.Group("closed & open", List.of(
                        new BarChart.Bar("Recloser", 8.9, 0.3, "#0072B2", "8.9 ns", "tip", true),
                        new BarChart.Bar("Peer", 1045, 1177, "#E69F00", "1,045 ns", null, false))),
                new BarChart.Group("zero", List.of(
                        new BarChart.Bar("Nothing", 0, Double.NaN, "#009E73", "0 ns", null, false)))),
                Double.NaN, Double.NaN);
        Document doc = parse(chart.render());
        assertThat(texts(doc)).contains("Time <per> call", "closed & open", "Recloser", "8.9 ns", "Peer",
                "1,045 ns", "Nothing", "0 ns", "1", "10", "100", "1,000", "ns/op");
        // Background, two group bands... and exactly two bars: the zero value gets a label, no bar.
        NodeList rects = doc.getElementsByTagName("rect");
        int bars = 0;
        for (int i = 0; i < rects.getLength(); i++) {
            String fill = ((Element) rects.item(i)).getAttribute("fill");
            if (fill.equals("#0072B2") || fill.equals("#E69F00") || fill.equals("#009E73")) {
                bars++;
            }
        }
        assertThat(bars).isEqualTo(2);
    }

    @Test
    void logAxisEndsOnAOneTwoFiveStep() {
        BarChart.Axis axis = BarChart.Axis.log(0.4, 2656);
        assertThat(axis.min()).isEqualTo(0.1, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(axis.max()).isEqualTo(5000, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(axis.ticks()).hasSizeGreaterThan(4);
        assertThat(axis.x(axis.min(), 0, 100)).isEqualTo(0);
        assertThat(axis.x(axis.max(), 0, 100)).isEqualTo(100, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(axis.x(-5, 0, 100)).isEqualTo(0);
    }

    @Test
    void linearAxisStartsAtZeroOnANiceStep() {
        BarChart.Axis axis = BarChart.Axis.linear(1696);
        assertThat(axis.min()).isZero();
        assertThat(axis.max()).isEqualTo(2000);
        assertThat(axis.ticks()).containsExactly(0.0, 500.0, 1000.0, 1500.0, 2000.0);
    }
}
