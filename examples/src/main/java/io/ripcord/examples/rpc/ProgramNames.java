package io.ripcord.examples.rpc;

import io.ripcord.rpc.rpcbind.Rpcbind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Program names from {@code /etc/rpc} ({@code name number aliases...}, the file {@code getrpcbyname(3)} and
 * {@code rpcinfo} read), so that {@code portmapper} or {@code nfs} may stand for a number. Immutable.
 */
final class ProgramNames {

    private final Map<Integer, String> byNumber = new HashMap<>();
    private final Map<String, Integer> byName = new HashMap<>();

    private ProgramNames() {
    }

    /** The names in {@code file}; only the portmapper's when it cannot be read. */
    static ProgramNames load(Path file) {
        ProgramNames names = new ProgramNames();
        names.add("portmapper", Rpcbind.PROGRAM, new String[] {"rpcbind"});
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int hash = line.indexOf('#');
                String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                try {
                    names.add(f[0], Integer.parseUnsignedInt(f[1]), Arrays.copyOfRange(f, 2, f.length));
                } catch (NumberFormatException e) {
                    // a malformed line: getrpcent(3) skips those too
                }
            }
        } catch (IOException e) {
            // no /etc/rpc (netbase not installed): numbers still work, names fall back to the built-in one
        }
        return names;
    }

    /** {@code /etc/rpc}. */
    static ProgramNames system() {
        return load(Path.of("/etc/rpc"));
    }

    private void add(String name, int number, String[] aliases) {
        byNumber.put(number, name);
        byName.put(name.toLowerCase(Locale.ROOT), number);
        for (String a : aliases) {
            byName.putIfAbsent(a.toLowerCase(Locale.ROOT), number);
        }
    }

    /** The name of {@code program}, or {@code ""}. */
    String name(int program) {
        return byNumber.getOrDefault(program, "");
    }

    /**
     * A program given as an unsigned decimal number, a {@code 0x} hexadecimal one, or a name.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    int parse(String program) {
        String p = program.trim();
        try {
            if (p.startsWith("0x") || p.startsWith("0X")) {
                return Integer.parseUnsignedInt(p.substring(2), 16);
            }
            if (!p.isEmpty() && Character.isDigit(p.charAt(0))) {
                return Integer.parseUnsignedInt(p);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + program + "' is not an unsigned 32-bit program number");
        }
        Integer n = byName.get(p.toLowerCase(Locale.ROOT));
        if (n == null) {
            throw new IllegalArgumentException("unknown program '" + program + "': give its number");
        }
        return n;
    }
}
