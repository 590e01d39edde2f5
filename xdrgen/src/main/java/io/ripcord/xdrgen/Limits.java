package io.ripcord.xdrgen;

/** Limits the generated code enforces beyond the {@code .x}'s own. */
final class Limits {

    /**
     * How deep a recursive type (a tree, not a list) may nest in one decoded value: far more than any
     * protocol needs, far less than a thread's stack holds.
     */
    static final int MAX_DEPTH = 512;

    /**
     * How many nodes of a linked list are decoded by recursion (no scratch arrays) before the rest is decoded
     * in a loop: a 100-entry directory listing allocates only its entries, and no list needs more frames.
     */
    static final int LIST_RECURSION = 128;

    private Limits() {
    }
}
