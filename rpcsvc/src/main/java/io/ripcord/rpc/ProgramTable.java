package io.ripcord.rpc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The programs an {@link RpcService} serves, by number and version: immutable, replaced whole on every change so
 * that dispatch reads it without a lock. Lookups search sorted {@code int} arrays, so a call allocates nothing
 * to find its program (a map keyed by {@code Integer} would box every program number above 127).
 *
 * <p>Numbers and versions are compared unsigned (RFC 5531 makes them {@code unsigned int}), so the lowest and
 * highest version PROG_MISMATCH reports are the first and last of a sorted list.
 */
final class ProgramTable {

    static final ProgramTable EMPTY = new ProgramTable(new int[0], new RpcProgram[0][], List.of(), List.of());

    /** Program numbers, sorted unsigned. */
    private final int[] numbers;
    /** For each number, its versions sorted unsigned by version. */
    private final RpcProgram[][] versions;
    /** Every program version, in registration order (what GF-DUMP's DUMP lists). */
    private final List<RpcProgram> ordered;
    /** The same versions with their counts, in the same order. */
    private final List<ServedProgram> served;
    /** Parallel to {@link #versions}: the version's counts. */
    private final ServedProgram[][] servedVersions;
    private final List<RpcProgramListener> listeners;

    private ProgramTable(int[] numbers, RpcProgram[][] versions, List<RpcProgram> ordered,
                         List<ServedProgram> served) {
        this.numbers = numbers;
        this.versions = versions;
        this.ordered = ordered;
        this.served = served;
        Map<RpcProgram, ServedProgram> byProgram = new IdentityHashMap<>();
        for (ServedProgram sp : served) {
            byProgram.put(sp.program(), sp);
        }
        this.servedVersions = new ServedProgram[versions.length][];
        for (int i = 0; i < versions.length; i++) {
            servedVersions[i] = new ServedProgram[versions[i].length];
            for (int j = 0; j < versions[i].length; j++) {
                servedVersions[i][j] = byProgram.get(versions[i][j]);
            }
        }
        Set<RpcProgramListener> l = new LinkedHashSet<>();
        for (RpcProgram p : ordered) {
            if (p.listener() != null) {
                l.add(p.listener());
            }
        }
        this.listeners = List.copyOf(l);
    }

    /** The versions of {@code program}, sorted unsigned; {@code null} if none is registered. */
    RpcProgram[] versions(int program) {
        int i = indexOf(numbers, program);
        return i < 0 ? null : versions[i];
    }

    /**
     * The registered version {@code version} of {@code program} with its counts, or {@code null}: one binary search
     * and a scan of the versions, no allocation (dispatch counts every call with it).
     */
    ServedProgram served(int program, int version) {
        int i = indexOf(numbers, program);
        if (i < 0) {
            return null;
        }
        RpcProgram[] vs = versions[i];
        for (int j = 0; j < vs.length; j++) {
            if (vs[j].version() == version) {
                return servedVersions[i][j];
            }
        }
        return null;
    }

    /** Every registered version with its counts, in registration order. */
    List<ServedProgram> served() {
        return served;
    }

    /** The version {@code version} among {@code versions}, or {@code null}. */
    static RpcProgram version(RpcProgram[] versions, int version) {
        for (RpcProgram p : versions) {
            if (p.version() == version) {
                return p;
            }
        }
        return null;
    }

    List<RpcProgram> ordered() {
        return ordered;
    }

    List<RpcProgramListener> listeners() {
        return listeners;
    }

    /** This table with {@code program} added; {@code null} if that version is registered already. */
    ProgramTable with(RpcProgram program) {
        RpcProgram[] vs = versions(program.program());
        if (vs != null && version(vs, program.version()) != null) {
            return null;
        }
        List<RpcProgram> o = new ArrayList<>(ordered);
        o.add(program);
        List<ServedProgram> s = new ArrayList<>(served);
        s.add(new ServedProgram(program));
        return of(o, s);
    }

    /** This table without {@code version} of {@code program}; {@code null} if it is not registered. */
    ProgramTable without(int program, int version) {
        RpcProgram[] vs = versions(program);
        RpcProgram p = vs == null ? null : version(vs, version);
        if (p == null) {
            return null;
        }
        List<RpcProgram> o = new ArrayList<>(ordered);
        int at = o.indexOf(p);
        o.remove(at);
        List<ServedProgram> s = new ArrayList<>(served);
        s.remove(at);
        return of(o, s);
    }

    private static ProgramTable of(List<RpcProgram> ordered, List<ServedProgram> served) {
        int[] numbers = ordered.stream().mapToInt(RpcProgram::program).distinct()
                .boxed().sorted(Integer::compareUnsigned).mapToInt(Integer::intValue).toArray();
        RpcProgram[][] versions = new RpcProgram[numbers.length][];
        for (int i = 0; i < numbers.length; i++) {
            int number = numbers[i];
            versions[i] = ordered.stream().filter(p -> p.program() == number)
                    .sorted((a, b) -> Integer.compareUnsigned(a.version(), b.version())).toArray(RpcProgram[]::new);
        }
        return new ProgramTable(numbers, versions, List.copyOf(ordered), List.copyOf(served));
    }

    /** Binary search in an array sorted unsigned. */
    private static int indexOf(int[] sorted, int key) {
        int lo = 0;
        int hi = sorted.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(sorted[mid], key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return ordered.toString() + " in " + Arrays.toString(numbers);
    }
}
