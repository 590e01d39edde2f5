package io.ripcord.rpc.xdr;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes the text form of XDR values, as the {@code toString} of code generated from {@code .x} files
 * (ripcord-xdrgen) does and {@link XdrTextReader} reads back:
 *
 * <pre>
 * struct, union    {name: value, name: value}      (a union: its discriminant first, then its arm)
 * array            [value, value]
 * optional-data    null, or the value
 * string           "text" with \" \\ \n \r \t and \u0000-style escapes
 * opaque           0x0a1b (lower-case hex; 0x for none)
 * bool             TRUE, FALSE
 * enum             the member's name
 * integers         decimal; unsigned ones never negative
 * float, double    Java's Float.toString / Double.toString (NaN, Infinity, -Infinity)
 * </pre>
 *
 * <p>Stateless; any thread.
 */
public final class XdrText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private XdrText() {
    }

    /**
     * Appends a quoted, escaped string.
     *
     * @param sb    the destination
     * @param value the string
     */
    public static void appendString(StringBuilder sb, String value) {
        sb.append('"');
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append("\\u").append(HEX[0]).append(HEX[0]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * Appends opaque data as {@code 0x} and lower-case hex digits.
     *
     * @param sb    the destination
     * @param bytes the data
     */
    public static void appendHex(StringBuilder sb, byte[] bytes) {
        sb.append("0x");
        for (byte b : bytes) {
            sb.append(HEX[b >> 4 & 0xF]).append(HEX[b & 0xF]);
        }
    }

    /**
     * Appends a boolean as {@code TRUE} or {@code FALSE} (RFC 4506 section 4.4).
     *
     * @param sb    the destination
     * @param value the value
     */
    public static void appendBool(StringBuilder sb, boolean value) {
        sb.append(value ? "TRUE" : "FALSE");
    }

    /**
     * Appends an unsigned hyper held in a {@code long} as its unsigned decimal value.
     *
     * @param sb    the destination
     * @param value the value's 64 bits
     */
    public static void appendUnsignedHyper(StringBuilder sb, long value) {
        if (value >= 0) {
            sb.append(value);
        } else {
            sb.append(Long.toUnsignedString(value));
        }
    }

    /**
     * Appends {@code [a, b, ...]}.
     *
     * @param sb      the destination
     * @param values  the elements
     * @param element appends one element
     * @param <T>     the element type
     */
    public static <T> void appendList(StringBuilder sb, List<? extends T> values,
                                      BiConsumer<StringBuilder, ? super T> element) {
        sb.append('[');
        for (int i = 0, n = values.size(); i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            element.accept(sb, values.get(i));
        }
        sb.append(']');
    }

    /**
     * Appends {@code null} for an absent optional value, else the value.
     *
     * @param sb    the destination
     * @param value the value or {@code null}
     * @param text  appends a present value
     * @param <T>   the value type
     */
    public static <T> void appendOptional(StringBuilder sb, T value, BiConsumer<StringBuilder, ? super T> text) {
        if (value == null) {
            sb.append("null");
        } else {
            text.accept(sb, value);
        }
    }
}
