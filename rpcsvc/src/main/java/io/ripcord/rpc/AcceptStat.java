package io.ripcord.rpc;

/** {@code enum accept_stat} (RFC 5531 section 9). */
public final class AcceptStat {
    /** RPC executed successfully. */
    public static final int SUCCESS = 0;
    /** Remote hasn't exported the program. */
    public static final int PROG_UNAVAIL = 1;
    /** Remote can't support the version; the reply carries the lowest and highest versions supported. */
    public static final int PROG_MISMATCH = 2;
    /** The program can't support the procedure. */
    public static final int PROC_UNAVAIL = 3;
    /** The procedure can't decode its parameters. */
    public static final int GARBAGE_ARGS = 4;
    /** For example, a memory allocation failure (here: the actor threw). */
    public static final int SYSTEM_ERR = 5;

    private AcceptStat() {
    }

    /**
     * The RFC name of {@code stat}, for messages and logs.
     *
     * @param stat an {@code accept_stat} value as received
     * @return its name, or {@code "accept_stat N"} for a number RFC 5531 does not define
     */
    public static String name(int stat) {
        switch (stat) {
            case SUCCESS: return "SUCCESS";
            case PROG_UNAVAIL: return "PROG_UNAVAIL";
            case PROG_MISMATCH: return "PROG_MISMATCH";
            case PROC_UNAVAIL: return "PROC_UNAVAIL";
            case GARBAGE_ARGS: return "GARBAGE_ARGS";
            case SYSTEM_ERR: return "SYSTEM_ERR";
            default: return "accept_stat " + stat;
        }
    }
}
