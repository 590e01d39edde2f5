package io.ripcord.rpc.auth.gss;

import org.ietf.jgss.GSSException;

/**
 * GSS-API major status codes as they travel in {@code rpc_gss_init_res.gss_major}: the C bindings' encoding
 * (RFC 2744 section 3.9.1), routine errors in bits 16-23 and supplementary bits at the bottom. RFC 2203 section
 * 5.2.3.1 puts these on the wire, not Java's {@link GSSException#getMajor()} numbers, which differ.
 */
public final class GssMajor {

    /** {@code GSS_S_COMPLETE}. */
    public static final int COMPLETE = 0;
    /** {@code GSS_S_CONTINUE_NEEDED}, a supplementary bit: another token exchange follows. */
    public static final int CONTINUE_NEEDED = 1;

    private static final int ROUTINE_ERROR_OFFSET = 16;
    /** {@code GSS_S_BAD_MECH}. */
    public static final int BAD_MECH = 1 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_BAD_NAME}. */
    public static final int BAD_NAME = 2 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_BAD_NAMETYPE}. */
    public static final int BAD_NAMETYPE = 3 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_BAD_BINDINGS}. */
    public static final int BAD_BINDINGS = 4 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_BAD_STATUS}. */
    public static final int BAD_STATUS = 5 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_BAD_SIG}, also {@code GSS_S_BAD_MIC}. */
    public static final int BAD_MIC = 6 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_NO_CRED}. */
    public static final int NO_CRED = 7 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_NO_CONTEXT}. */
    public static final int NO_CONTEXT = 8 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_DEFECTIVE_TOKEN}. */
    public static final int DEFECTIVE_TOKEN = 9 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_DEFECTIVE_CREDENTIAL}. */
    public static final int DEFECTIVE_CREDENTIAL = 10 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_CREDENTIALS_EXPIRED}. */
    public static final int CREDENTIALS_EXPIRED = 11 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_CONTEXT_EXPIRED}. */
    public static final int CONTEXT_EXPIRED = 12 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_FAILURE}. */
    public static final int FAILURE = 13 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_BAD_QOP}. */
    public static final int BAD_QOP = 14 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_UNAUTHORIZED}. */
    public static final int UNAUTHORIZED = 15 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_UNAVAILABLE}. */
    public static final int UNAVAILABLE = 16 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_DUPLICATE_ELEMENT}. */
    public static final int DUPLICATE_ELEMENT = 17 << ROUTINE_ERROR_OFFSET;
    /** {@code GSS_S_NAME_NOT_MN}. */
    public static final int NAME_NOT_MN = 18 << ROUTINE_ERROR_OFFSET;

    private static final String[] ROUTINE_ERRORS = {null, "GSS_S_BAD_MECH", "GSS_S_BAD_NAME", "GSS_S_BAD_NAMETYPE",
        "GSS_S_BAD_BINDINGS", "GSS_S_BAD_STATUS", "GSS_S_BAD_MIC", "GSS_S_NO_CRED", "GSS_S_NO_CONTEXT",
        "GSS_S_DEFECTIVE_TOKEN", "GSS_S_DEFECTIVE_CREDENTIAL", "GSS_S_CREDENTIALS_EXPIRED", "GSS_S_CONTEXT_EXPIRED",
        "GSS_S_FAILURE", "GSS_S_BAD_QOP", "GSS_S_UNAUTHORIZED", "GSS_S_UNAVAILABLE", "GSS_S_DUPLICATE_ELEMENT",
        "GSS_S_NAME_NOT_MN"};

    private GssMajor() {
    }

    /**
     * The wire value of a Java GSS-API failure.
     *
     * @param e what JGSS threw
     * @return the C bindings' major status; {@link #FAILURE} for a code with no C equivalent
     */
    public static int of(GSSException e) {
        switch (e.getMajor()) {
            case GSSException.BAD_MECH: return BAD_MECH;
            case GSSException.BAD_NAME: return BAD_NAME;
            case GSSException.BAD_NAMETYPE: return BAD_NAMETYPE;
            case GSSException.BAD_BINDINGS: return BAD_BINDINGS;
            case GSSException.BAD_STATUS: return BAD_STATUS;
            case GSSException.BAD_MIC: return BAD_MIC;
            case GSSException.NO_CRED: return NO_CRED;
            case GSSException.NO_CONTEXT: return NO_CONTEXT;
            case GSSException.DEFECTIVE_TOKEN: return DEFECTIVE_TOKEN;
            case GSSException.DEFECTIVE_CREDENTIAL: return DEFECTIVE_CREDENTIAL;
            case GSSException.CREDENTIALS_EXPIRED: return CREDENTIALS_EXPIRED;
            case GSSException.CONTEXT_EXPIRED: return CONTEXT_EXPIRED;
            case GSSException.BAD_QOP: return BAD_QOP;
            case GSSException.UNAUTHORIZED: return UNAUTHORIZED;
            case GSSException.UNAVAILABLE: return UNAVAILABLE;
            case GSSException.DUPLICATE_ELEMENT: return DUPLICATE_ELEMENT;
            case GSSException.NAME_NOT_MN: return NAME_NOT_MN;
            default: return FAILURE;
        }
    }

    /**
     * The GSS-API name of a major status, for messages and logs.
     *
     * @param major a major status in the C bindings' encoding
     * @return its name, e.g. {@code GSS_S_DEFECTIVE_TOKEN}, or the number in hex when it is not one
     */
    public static String name(int major) {
        if (major == COMPLETE) {
            return "GSS_S_COMPLETE";
        }
        if (major == CONTINUE_NEEDED) {
            return "GSS_S_CONTINUE_NEEDED";
        }
        int routine = (major >>> ROUTINE_ERROR_OFFSET) & 0xff;
        if ((major & ~(0xff << ROUTINE_ERROR_OFFSET)) == 0 && routine < ROUTINE_ERRORS.length) {
            return ROUTINE_ERRORS[routine];
        }
        return "gss_major 0x" + Integer.toHexString(major);
    }
}
