package io.ripcord.rpc.auth.gss;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a JGSS or JAAS failure into a message a user can act on. JGSS reports Kerberos errors as a
 * {@code GSSException} with no minor status; the Kerberos error code (RFC 4120 section 7.5.9) is only in the
 * message of an internal exception in the cause chain, as {@code "Clock skew too great (37)"} (sometimes followed by
 * {@code " - LOOKING_UP_SERVER"}), so that is where it
 * is read from. A message without a code keeps JGSS's own words.
 */
final class KerberosErrors {

    /** KDC_ERR_C_PRINCIPAL_UNKNOWN (RFC 4120 section 7.5.9). */
    static final int CLIENT_UNKNOWN = 6;
    /** KDC_ERR_S_PRINCIPAL_UNKNOWN. */
    static final int SERVER_UNKNOWN = 7;
    /** KDC_ERR_PREAUTH_FAILED. */
    static final int PREAUTH_FAILED = 24;
    /** KRB_AP_ERR_BAD_INTEGRITY. */
    static final int BAD_INTEGRITY = 31;
    /** KRB_AP_ERR_TKT_EXPIRED. */
    static final int TICKET_EXPIRED = 32;
    /** KRB_AP_ERR_REPEAT. */
    static final int REPEAT = 34;
    /** KRB_AP_ERR_SKEW. */
    static final int SKEW = 37;
    /** KRB_AP_ERR_MODIFIED. */
    static final int MODIFIED = 41;
    /** KRB_AP_ERR_BADKEYVER. */
    static final int BAD_KEY_VERSION = 44;
    /** KRB_AP_ERR_NOKEY. */
    static final int NO_KEY = 45;

    /** "Clock skew too great (37)", "Server not found in Kerberos database (7) - LOOKING_UP_SERVER". */
    private static final Pattern CODE = Pattern.compile("\\((\\d{1,3})\\)(?: - [A-Z_]+)?\\s*$");

    private KerberosErrors() {
    }

    /**
     * @param doing what was being done, e.g. "initiator context for nfs@server"
     * @param t     what JGSS or JAAS threw
     * @return "doing: advice (Kerberos's message)", or "doing: JGSS's message" when no Kerberos code is found
     */
    static String explain(String doing, Throwable t) {
        Throwable coded = coded(t);
        if (coded == null) {
            return doing + ": " + (t.getMessage() == null ? t.toString() : t.getMessage());
        }
        String advice = advice(code(coded));
        return doing + ": " + (advice == null ? coded.getMessage() : advice + " (" + coded.getMessage() + ")");
    }

    /** The Kerberos error code in the cause chain, or -1. */
    static int code(Throwable t) {
        Throwable coded = coded(t);
        if (coded == null) {
            return -1;
        }
        Matcher m = CODE.matcher(coded.getMessage());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The first throwable in the chain whose message ends with a Kerberos error code, or null. */
    private static Throwable coded(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && CODE.matcher(c.getMessage()).find()) {
                return c;
            }
        }
        return null;
    }

    static String advice(int code) {
        switch (code) {
            case CLIENT_UNKNOWN:
                return "the client principal is not in the KDC's database: check its name and realm";
            case SERVER_UNKNOWN:
                return "the service principal is not in the KDC's database: create it (kadmin addprinc) or check the"
                        + " service name and host name the client uses";
            case PREAUTH_FAILED:
                return "the KDC refused the password or key: the key tab is out of date or the password wrong";
            case BAD_INTEGRITY:
            case MODIFIED:
            case BAD_KEY_VERSION:
            case NO_KEY:
                return "the service's key tab does not match the KDC's key for it: export the key again (kadmin"
                        + " ktadd) and restart the service";
            case TICKET_EXPIRED:
                return "the Kerberos ticket has expired: get a new one (kinit)";
            case REPEAT:
                return "the server saw this authenticator before (a replay, or two requests in the same"
                        + " microsecond)";
            case SKEW:
                return "clock skew too great between this host and the KDC or the server (Kerberos allows 5 minutes"
                        + " by default): synchronize the clocks (NTP)";
            default:
                return null;
        }
    }
}
