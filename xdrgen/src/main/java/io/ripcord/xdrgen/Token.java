package io.ripcord.xdrgen;

/**
 * One token of a preprocessed {@code .x} file.
 *
 * @param kind  what it is
 * @param text  its text (for a number: as written)
 * @param value a number's value, as 64 two's complement bits; 0 otherwise
 * @param where where it starts (for a token from a macro: where the macro was used)
 */
record Token(Kind kind, String text, long value, Location where) {

    enum Kind { IDENTIFIER, NUMBER, PUNCTUATION, STRING, END }

    boolean is(String punctuationOrKeyword) {
        return (kind == Kind.IDENTIFIER || kind == Kind.PUNCTUATION) && text.equals(punctuationOrKeyword);
    }

    /** How an error message shows it. */
    String describe() {
        return kind == Kind.END ? "the end of the file" : "'" + text + "'";
    }
}
