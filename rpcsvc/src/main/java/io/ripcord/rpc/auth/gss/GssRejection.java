package io.ripcord.rpc.auth.gss;

/**
 * An RPCSEC_GSS call the server must not run, and what it answers instead (RFC 2203 sections 5.3.3 and
 * 5.3.3.4). The dispatch turns {@link #answer()} into the reply:
 * <table>
 *   <caption>Answers</caption>
 *   <tr><th>answer</th><th>reply</th><th>when</th></tr>
 *   <tr><td>{@link Answer#AUTH_ERROR}</td><td>MSG_DENIED, AUTH_ERROR, {@link #authStat()}</td><td>the credential,
 *       the context or the header checksum is not good</td></tr>
 *   <tr><td>{@link Answer#DROP}</td><td>none at all</td><td>a replayed sequence number or one below the window
 *       (section 5.3.3.1)</td></tr>
 *   <tr><td>{@link Answer#GARBAGE_ARGS}</td><td>MSG_ACCEPTED, GARBAGE_ARGS</td><td>protected arguments whose
 *       checksum, seal or sequence number is wrong (section 5.3.3.4.3)</td></tr>
 *   <tr><td>{@link Answer#SYSTEM_ERR}</td><td>MSG_ACCEPTED, SYSTEM_ERR</td><td>the results could not be
 *       protected (section 5.3.3.4.4)</td></tr>
 * </table>
 *
 * <p>Hostile peers make these in bulk, so they carry no stack trace.
 */
public final class GssRejection extends Exception {
    private static final long serialVersionUID = 1L;

    /** What the server answers a rejected call. */
    public enum Answer {
        /** MSG_DENIED with AUTH_ERROR and the rejection's {@code auth_stat}. */
        AUTH_ERROR,
        /** Nothing: the call is discarded silently. */
        DROP,
        /** MSG_ACCEPTED with GARBAGE_ARGS. */
        GARBAGE_ARGS,
        /** MSG_ACCEPTED with SYSTEM_ERR. */
        SYSTEM_ERR
    }

    /** How the service answers the call. */
    private final Answer answer;
    /** The {@code auth_stat} of an {@link Answer#AUTH_ERROR}; -1 for the other answers. */
    private final int authStat;

    private GssRejection(Answer answer, int authStat, String message) {
        super(message, null, false, false);
        this.answer = answer;
        this.authStat = authStat;
    }

    /**
     * @param authStat an {@code auth_stat} value ({@link io.ripcord.rpc.AuthStat}, {@link RpcGss})
     * @param message  why, for the server's log
     * @return a rejection answered with MSG_DENIED / AUTH_ERROR
     */
    static GssRejection authError(int authStat, String message) {
        return new GssRejection(Answer.AUTH_ERROR, authStat, message);
    }

    static GssRejection drop(String message) {
        return new GssRejection(Answer.DROP, -1, message);
    }

    static GssRejection garbageArgs(String message) {
        return new GssRejection(Answer.GARBAGE_ARGS, -1, message);
    }

    static GssRejection systemError(String message) {
        return new GssRejection(Answer.SYSTEM_ERR, -1, message);
    }

    /** {@return what the server answers} */
    public Answer answer() {
        return answer;
    }

    /** {@return the {@code auth_stat} of an {@link Answer#AUTH_ERROR}, else -1} */
    public int authStat() {
        return authStat;
    }

    @Override
    public String toString() {
        return "GssRejection[" + (answer == Answer.AUTH_ERROR ? RpcGss.authStatName(authStat) : answer) + "]: "
                + getMessage();
    }
}
