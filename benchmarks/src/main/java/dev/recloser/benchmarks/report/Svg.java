package dev.recloser.benchmarks.report;

/**
 * A minimal SVG writer: rectangles, lines and text, with tooltips, in a document with explicit
 * {@code width}, {@code height} and {@code viewBox}. Text is escaped; coordinates are written with
 * at most one decimal.
 */
final class Svg {

    static final String FONT = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";

    private final double width;
    private final double height;
    private final StringBuilder body = new StringBuilder();

    Svg(double width, double height) {
        this.width = width;
        this.height = height;
    }

    /** A filled rectangle; {@code tooltip} (may be null) becomes its {@code <title>}. */
    Svg rect(double x, double y, double w, double h, String fill, String tooltip) {
        body.append("<rect x=\"").append(Fmt.coord(x)).append("\" y=\"").append(Fmt.coord(y))
                .append("\" width=\"").append(Fmt.coord(Math.max(0, w))).append("\" height=\"")
                .append(Fmt.coord(Math.max(0, h))).append("\" fill=\"").append(escape(fill)).append('"');
        if (tooltip == null) {
            body.append("/>\n");
        } else {
            body.append("><title>").append(escape(tooltip)).append("</title></rect>\n");
        }
        return this;
    }

    /** A straight line; {@code dash} (may be null) is a {@code stroke-dasharray}. */
    Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth, String dash) {
        body.append("<line x1=\"").append(Fmt.coord(x1)).append("\" y1=\"").append(Fmt.coord(y1))
                .append("\" x2=\"").append(Fmt.coord(x2)).append("\" y2=\"").append(Fmt.coord(y2))
                .append("\" stroke=\"").append(escape(stroke)).append("\" stroke-width=\"")
                .append(Fmt.coord(strokeWidth)).append('"');
        if (dash != null) {
            body.append(" stroke-dasharray=\"").append(escape(dash)).append('"');
        }
        body.append("/>\n");
        return this;
    }

    /** Horizontal alignment of text relative to its x. */
    enum Anchor {
        START("start"), MIDDLE("middle"), END("end");

        final String svg;

        Anchor(String svg) {
            this.svg = svg;
        }
    }

    /** A line of text whose baseline is at {@code y}. */
    Svg text(double x, double y, String text, double size, Anchor anchor, boolean bold, String fill) {
        body.append("<text x=\"").append(Fmt.coord(x)).append("\" y=\"").append(Fmt.coord(y))
                .append("\" font-size=\"").append(Fmt.coord(size)).append('"');
        if (anchor != Anchor.START) {
            body.append(" text-anchor=\"").append(anchor.svg).append('"');
        }
        if (bold) {
            body.append(" font-weight=\"bold\"");
        }
        if (!"#000000".equals(fill)) {
            body.append(" fill=\"").append(escape(fill)).append('"');
        }
        body.append('>').append(escape(text)).append("</text>\n");
        return this;
    }

    /** A comment, for a reader of the source. */
    Svg comment(String text) {
        body.append("<!-- ").append(text.replace("--", "- -")).append(" -->\n");
        return this;
    }

    /** The whole document, white background first. */
    String render(String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(Fmt.coord(width))
                .append("\" height=\"").append(Fmt.coord(height)).append("\" viewBox=\"0 0 ")
                .append(Fmt.coord(width)).append(' ').append(Fmt.coord(height))
                .append("\" font-family=\"").append(FONT).append("\" role=\"img\">\n");
        sb.append("<title>").append(escape(title)).append("</title>\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        sb.append(body);
        sb.append("</svg>\n");
        return sb.toString();
    }

    /**
     * Escapes text for element content and attribute values; drops the control characters XML 1.0
     * does not allow.
     */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * An estimate of the width of {@code text} in a sans-serif font of {@code size} px, for layout
     * (no font metrics without AWT): generous, so that labels never overlap.
     */
    static double textWidth(String text, double size, boolean bold) {
        double units = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("il.,:;|!'".indexOf(c) >= 0) {
                units += 0.32;
            } else if ("fjrt() []".indexOf(c) >= 0) {
                units += 0.42;
            } else if (Character.isUpperCase(c) || "mw".indexOf(c) >= 0) {
                units += 0.74;
            } else if (Character.isDigit(c)) {
                units += 0.64;
            } else {
                units += 0.6;
            }
        }
        return units * size * (bold ? 1.08 : 1.0);
    }
}
