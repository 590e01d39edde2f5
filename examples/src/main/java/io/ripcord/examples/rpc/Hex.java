package io.ripcord.examples.rpc;

import java.util.HexFormat;

/** Bytes as the command line takes and prints them: hexadecimal, in 4-byte XDR units. */
final class Hex {

    /** XDR units per printed line: 32 bytes. */
    private static final int UNITS_PER_LINE = 8;

    private Hex() {
    }

    /**
     * Parses hexadecimal digits; whitespace, {@code :}, {@code _} and {@code .} between them and a leading
     * {@code 0x} are ignored, so {@code 00000005 68656c6c} and {@code 0x0000000568656c6c} are the same bytes.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    static byte[] parse(String text) {
        String t = text.strip();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        t = t.replaceAll("[\\s:_.]", "");
        if ((t.length() & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits (" + t.length() + ") in '" + text + "'");
        }
        try {
            return HexFormat.of().parseHex(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not hexadecimal: '" + text + "'");
        }
    }

    /**
     * {@code bytes} as lines of up to eight 4-byte groups, each line prefixed with its offset:
     * {@code 0000: 00000000 00000000 00000000}. No lines for no bytes.
     */
    static String format(byte[] bytes) {
        HexFormat hex = HexFormat.of();
        StringBuilder sb = new StringBuilder();
        for (int line = 0; line < bytes.length; line += 4 * UNITS_PER_LINE) {
            sb.append(String.format("%04x:", line));
            for (int u = line; u < Math.min(bytes.length, line + 4 * UNITS_PER_LINE); u += 4) {
                sb.append(' ').append(hex.formatHex(bytes, u, Math.min(bytes.length, u + 4)));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
