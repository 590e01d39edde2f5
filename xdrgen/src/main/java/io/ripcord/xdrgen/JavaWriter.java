package io.ripcord.xdrgen;

/** Builds Java source text with four-space indentation. */
final class JavaWriter {

    private final StringBuilder sb = new StringBuilder();
    private int indent;

    /** Appends a line at the current indentation; each line of a text with line breaks is indented alike. */
    JavaWriter line(String text) {
        for (String l : text.split("\n", -1)) {
            if (!l.isEmpty()) {
                sb.append("    ".repeat(indent));
            }
            sb.append(l).append('\n');
        }
        return this;
    }

    /** A line unless {@code text} is empty (an optional annotation). */
    JavaWriter lineIfAny(String text) {
        return text.isEmpty() ? this : line(text);
    }

    /** {@link #line}, for text that holds several lines. */
    JavaWriter lines(String text) {
        return line(text);
    }

    JavaWriter blank() {
        sb.append('\n');
        return this;
    }

    /** {@code text {} and one level deeper. */
    JavaWriter open(String text) {
        line(text + " {");
        indent++;
        return this;
    }

    /** One level shallower and {@code }}. */
    JavaWriter close() {
        return close("");
    }

    /** One level shallower and {@code }} followed by {@code suffix} ({@code ;}, {@code );}). */
    JavaWriter close(String suffix) {
        indent--;
        line("}" + suffix);
        return this;
    }

    /** A javadoc comment; a one-line text stays on one line. */
    JavaWriter javadoc(String... paragraphs) {
        if (paragraphs.length == 1 && !paragraphs[0].contains("\n") && paragraphs[0].length() < 100) {
            return line("/** " + paragraphs[0] + " */");
        }
        line("/**");
        for (int i = 0; i < paragraphs.length; i++) {
            boolean tag = paragraphs[i].startsWith("@");
            if (i > 0 && (!tag || !paragraphs[i - 1].startsWith("@"))) {
                line(" *");
            }
            for (String l : paragraphs[i].split("\n")) {
                line(l.isEmpty() ? " *" : " * " + l);
            }
        }
        return line(" */");
    }

    /** One level shallower without a line: the next {@link #open} continues an if-else chain. */
    JavaWriter indentBack() {
        indent--;
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    /** {@code head a, b, c tail} on one line, or one item a line when that would be long. */
    static String wrap(String head, java.util.List<String> items, String tail) {
        String one = head + String.join(", ", items) + tail;
        if (one.length() <= 100) {
            return one;
        }
        return head + "\n        " + String.join(",\n        ", items) + tail;
    }

    /** Text made safe inside a javadoc comment. */
    static String doc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
                .replace("*/", "*&#47;").replace("{", "&#123;").replace("}", "&#125;");
    }

    /** A Java string literal. */
    static String literal(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
