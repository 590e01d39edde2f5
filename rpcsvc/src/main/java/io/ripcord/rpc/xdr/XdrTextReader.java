package io.ripcord.rpc.xdr;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads the text form that {@link XdrText} writes, for code generated from {@code .x} files: each generated
 * type parses its own shape with it ({@code {name: value}}, {@code [a, b]}, {@code null}, ...). Whitespace
 * between tokens is ignored. Every error is an {@link IllegalArgumentException} naming the offset and what
 * was expected.
 *
 * <p>Not thread-safe: one reader parses one text on one thread.
 */
public final class XdrTextReader {

    private final CharSequence text;
    private int pos;

    /**
     * A reader at the start of {@code text}.
     *
     * @param text the text form
     */
    public XdrTextReader(CharSequence text) {
        this.text = Objects.requireNonNull(text, "text");
    }

    /**
     * Consumes {@code c}, after optional whitespace.
     *
     * @param c the expected character
     * @throws IllegalArgumentException when the next character is another
     */
    public void expect(char c) {
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("'" + c + "'");
        }
        pos++;
    }

    /**
     * Whether the next character, after whitespace, is {@code c}; consumes nothing.
     *
     * @param c the character
     * @return whether it comes next
     */
    public boolean peek(char c) {
        skipSpace();
        return pos < text.length() && text.charAt(pos) == c;
    }

    /**
     * Consumes the first field's name and its colon: {@code name:}.
     *
     * @param name the expected name
     * @return this reader, positioned at the field's value
     * @throws IllegalArgumentException when another name or no colon comes
     */
    public XdrTextReader name(String name) {
        skipSpace();
        int at = pos;
        String got = readIdentifier();
        if (!got.equals(name)) {
            pos = at;
            throw error("field '" + name + "'");
        }
        expect(':');
        return this;
    }

    /**
     * Consumes the comma before a further field, then its name and colon: {@code , name:}.
     *
     * @param name the expected name
     * @return this reader, positioned at the field's value
     * @throws IllegalArgumentException when no comma, another name or no colon comes
     */
    public XdrTextReader next(String name) {
        expect(',');
        return name(name);
    }

    /**
     * Reads an identifier: an enumeration member, {@code TRUE}, {@code FALSE} or {@code null}.
     *
     * @return the identifier
     */
    public String readIdentifier() {
        skipSpace();
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '_' || Character.isLetter(c) || (pos > start && Character.isDigit(c))) {
                pos++;
            } else {
                break;
            }
        }
        if (pos == start) {
            throw error("an identifier");
        }
        return text.subSequence(start, pos).toString();
    }

    /** {@return a signed 32-bit integer} */
    public int readInt() {
        return (int) readIntegerIn(Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
    }

    /**
     * Reads an integer that must lie in {@code min..max} (C's narrow integer types).
     *
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @return the value
     */
    public int readInt(int min, int max) {
        return (int) readIntegerIn(min, max, "integer");
    }

    /** {@return an unsigned 32-bit integer, {@code 0..2^32-1}} */
    public long readUnsignedInt() {
        return readIntegerIn(0, 0xFFFF_FFFFL, "unsigned int");
    }

    /** {@return a signed 64-bit integer} */
    public long readHyper() {
        return readIntegerIn(Long.MIN_VALUE, Long.MAX_VALUE, "hyper");
    }

    /** {@return an unsigned 64-bit integer as its two's complement bits} */
    public long readUnsignedHyper() {
        return number(t -> {
            if (t.startsWith("-") || t.startsWith("+")) {
                throw new NumberFormatException(t);
            }
            return Long.parseUnsignedLong(t);
        }, "an unsigned hyper 0..18446744073709551615");
    }

    /** {@return a float, in Java's syntax} */
    public float readFloat() {
        return number(Float::parseFloat, "a float");
    }

    /** {@return a double, in Java's syntax} */
    public double readDouble() {
        return number(Double::parseDouble, "a double");
    }

    /** {@return {@code TRUE} or {@code FALSE}} */
    public boolean readBool() {
        int at = skipSpace();
        String id = readIdentifier();
        if (id.equals("TRUE")) {
            return true;
        }
        if (id.equals("FALSE")) {
            return false;
        }
        pos = at;
        throw error("TRUE or FALSE");
    }

    /** {@return a quoted string, its escapes undone} */
    public String readString() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("a closing '\"'");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("an escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("four hex digits");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.subSequence(pos, pos + 4).toString(), 16));
                    } catch (NumberFormatException ex) {
                        throw error("four hex digits");
                    }
                    pos += 4;
                }
                default -> {
                    pos--;
                    throw error("one of the escapes \\\" \\\\ \\n \\r \\t \\uXXXX");
                }
            }
        }
    }

    /** {@return opaque data written as {@code 0x} and hex digits} */
    public byte[] readHex() {
        skipSpace();
        if (pos + 1 >= text.length() || text.charAt(pos) != '0' || (text.charAt(pos + 1) | 0x20) != 'x') {
            throw error("opaque data as 0x and hex digits");
        }
        pos += 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (pos < text.length() && Character.digit(text.charAt(pos), 16) >= 0) {
            int hi = Character.digit(text.charAt(pos), 16);
            int lo = pos + 1 < text.length() ? Character.digit(text.charAt(pos + 1), 16) : -1;
            if (lo < 0) {
                pos++;
                throw error("an even number of hex digits");
            }
            out.write(hi << 4 | lo);
            pos += 2;
        }
        return out.toByteArray();
    }

    /**
     * Reads {@code [a, b, ...]}.
     *
     * @param element reads one element
     * @param <T>     the element type
     * @return an unmodifiable list of the elements
     */
    public <T> List<T> readList(Function<XdrTextReader, ? extends T> element) {
        expect('[');
        if (peek(']')) {
            pos++;
            return Collections.emptyList();
        }
        List<T> out = new ArrayList<>();
        do {
            out.add(element.apply(this));
        } while (tryConsume(','));
        expect(']');
        return Collections.unmodifiableList(out);
    }

    /**
     * Reads {@code null} (absent) or a value.
     *
     * @param value reads a present value
     * @param <T>   the value type
     * @return the value, or {@code null}
     */
    public <T> T readOptional(Function<XdrTextReader, ? extends T> value) {
        return tryNull() ? null : value.apply(this);
    }

    /** {@return whether {@code null} came next (and was consumed)} */
    public boolean tryNull() {
        skipSpace();
        if (text.length() - pos >= 4 && text.subSequence(pos, pos + 4).toString().equals("null")
                && (pos + 4 == text.length() || !Character.isLetterOrDigit(text.charAt(pos + 4)))) {
            pos += 4;
            return true;
        }
        return false;
    }

    /**
     * Checks that nothing but whitespace is left.
     *
     * @throws IllegalArgumentException when more text follows
     */
    public void end() {
        skipSpace();
        if (pos != text.length()) {
            throw error("the end of the text");
        }
    }

    /**
     * An error at the current offset.
     *
     * @param expected what should have come
     * @return the exception, to throw
     */
    public IllegalArgumentException error(String expected) {
        int end = Math.min(text.length(), pos + 20);
        String found = pos >= text.length() ? "the end of the text" : "'" + text.subSequence(pos, end) + "'";
        return new IllegalArgumentException("text form, offset " + pos + ": expected " + expected + ", found "
                + found);
    }

    private boolean tryConsume(char c) {
        if (peek(c)) {
            pos++;
            return true;
        }
        return false;
    }

    private long readIntegerIn(long min, long max, String what) {
        int at = skipSpace();
        long v = number(Long::parseLong, "a decimal " + what);
        if (v < min || v > max) {
            pos = at;
            throw error(what + " in " + min + ".." + max);
        }
        return v;
    }

    /** Parses the next number-like token, or fails at its start. */
    private <T> T number(Function<String, T> parse, String what) {
        int at = skipSpace();
        try {
            return parse.apply(token());
        } catch (NumberFormatException e) {
            pos = at;
            throw error(what);
        }
    }

    /** A number-like token: sign, letters, digits, dots (floats, NaN, Infinity). */
    private String token() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '+' || c == '.') {
                pos++;
            } else {
                break;
            }
        }
        return text.subSequence(start, pos).toString();
    }

    private int skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return pos;
    }
}
