package io.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lockstep.cli.report.Svg;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;

/**
 * Reading the report pages' charts as HtmlUnit parsed them (shared by the profile and bench tests).
 */
final class BrowserPages {
    private BrowserPages() {}

    /**
     * The descendants of {@code node} with this tag name. HtmlUnit's getElementsByTagName finds
     * HTML elements only, not the SVG ones inside an inline {@code <svg>}.
     */
    static List<DomElement> elements(DomNode node, String tag) {
        List<DomElement> found = new ArrayList<>();
        for (DomNode d : node.getDescendants()) {
            if (d instanceof DomElement e && e.getTagName().equalsIgnoreCase(tag)) found.add(e);
        }
        return found;
    }

    /**
     * A chart's bars by label, each checked to be drawn to its value (its width over the bar area
     * is its value over the chart's scale) and labelled in sight (the text left of it says its
     * label).
     */
    static Map<String, Double> bars(DomElement svg) {
        double scale = Double.parseDouble(svg.getAttribute("data-scale"));
        Map<String, Double> bars = new LinkedHashMap<>();
        for (DomElement rect : elements(svg, "rect")) {
            if (!rect.getAttribute("class").equals("bar")) continue;
            String label = rect.getAttribute("data-label");
            double value = Double.parseDouble(rect.getAttribute("data-value"));
            double width = Double.parseDouble(rect.getAttribute("width"));
            assertThat(width / Svg.BAR_AREA)
                    .as("bar %s drawn to its value", label)
                    .isCloseTo(value / scale, within(1e-3));
            DomElement before = rect.getPreviousElementSibling();
            assertThat(before).as("a label before bar %s", label).isNotNull();
            assertThat(before.getTextContent()).as("the bar's visible label").isEqualTo(label);
            bars.put(label, value);
        }
        assertThat(bars).as("bars of %s", svg.getAttribute("aria-label")).isNotEmpty();
        return bars;
    }
}
