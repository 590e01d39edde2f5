package io.ripcord.rpc.auth.gss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ietf.jgss.GSSException;
import org.junit.jupiter.api.Test;

/** Kerberos failures become messages that say what to do, keeping JGSS's own words. */
class KerberosErrorsTest {

    private static GSSException jgss(String kerberosMessage) {
        GSSException e = new GSSException(GSSException.FAILURE, -1, kerberosMessage);
        e.initCause(new Exception(kerberosMessage));
        return e;
    }

    @Test
    void clockSkewSaysToSynchronizeClocks() {
        String m = KerberosErrors.explain("context for nfs@server", jgss("Clock skew too great (37)"));
        assertTrue(m.startsWith("context for nfs@server: clock skew too great"), m);
        assertTrue(m.contains("NTP") && m.endsWith("(Clock skew too great (37))"), m);
    }

    @Test
    void unknownServicePrincipalSaysToCreateItOrCheckTheName() {
        String m = KerberosErrors.explain("x", jgss("Server not found in Kerberos database (7) - LOOKING_UP_SERVER"));
        assertTrue(m.contains("service principal is not in the KDC's database"), m);
    }

    @Test
    void mismatchedKeytabSaysToExportTheKeyAgain() {
        for (int code : new int[] {31, 41, 44, 45}) {
            assertTrue(KerberosErrors.advice(code).contains("ktadd"), "code " + code);
        }
    }

    @Test
    void expiredTicketSaysToKinit() {
        assertTrue(KerberosErrors.explain("x", jgss("Ticket expired (32)")).contains("kinit"));
    }

    @Test
    void messageWithoutAKerberosCodeKeepsJgssWords() {
        String m = KerberosErrors.explain("x", new GSSException(GSSException.NO_CRED, -1,
                "No valid credentials provided"));
        assertTrue(m.startsWith("x: No valid credentials provided"), m);
        assertEquals(-1, KerberosErrors.code(new RuntimeException("(1234)")));
    }
}
