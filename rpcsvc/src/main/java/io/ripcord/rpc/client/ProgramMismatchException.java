package io.ripcord.rpc.client;

/**
 * The server serves the program but not this version: MSG_ACCEPTED / PROG_MISMATCH with the lowest and
 * highest versions it serves (RFC 5531 section 9, {@code mismatch_info}). Compare them unsigned.
 */
public final class ProgramMismatchException extends RpcException {
    private static final long serialVersionUID = 1L;

    private final int low;
    private final int high;

    /**
     * @param message what happened, naming the call
     * @param low     the lowest version supported
     * @param high    the highest version supported
     */
    public ProgramMismatchException(String message, int low, int high) {
        super(message);
        this.low = low;
        this.high = high;
    }

    /** The lowest version the server serves. */
    public int low() {
        return low;
    }

    /** The highest version the server serves. */
    public int high() {
        return high;
    }
}
