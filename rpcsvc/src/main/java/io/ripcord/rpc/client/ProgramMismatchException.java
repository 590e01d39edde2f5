package io.ripcord.rpc.client;

/**
 * The server serves the program but not this version: MSG_ACCEPTED / PROG_MISMATCH with the lowest and
 * highest versions it serves (RFC 5531 section 9, {@code mismatch_info}). Compare them unsigned.
 */
public final class ProgramMismatchException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** The lowest program versions the server supports, as it sent it. */
    private final int low;
    /** The highest program versions the server supports, as it sent it. */
    private final int high;

    /**
     * An exception for a PROG_MISMATCH reply.
     *
     * @param message what happened, naming the call
     * @param low     the lowest version supported
     * @param high    the highest version supported
     */
    public ProgramMismatchException(String message, int low, int high) {
        super(message);
        this.low = low;
        this.high = high;
    }

    /**
     * The lowest version of the program the server serves.
     *
     * @return the version (unsigned 32-bit in an {@code int})
     */
    public int low() {
        return low;
    }

    /**
     * The highest version of the program the server serves; every version between may or may not be served.
     *
     * @return the version (unsigned 32-bit in an {@code int})
     */
    public int high() {
        return high;
    }
}
