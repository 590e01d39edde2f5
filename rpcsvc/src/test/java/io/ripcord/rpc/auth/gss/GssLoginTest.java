package io.ripcord.rpc.auth.gss;

import io.ripcord.testsupport.External;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.testsupport.MitKdc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.security.auth.Subject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where a client's credentials come from (a key tab, a ticket cache from kinit, a JAAS subject) and what the
 * user reads when there are none.
 */
@Tag("external")
@ExtendWith(KerberosRealm.class)
class GssLoginTest {

    private static MitKdc kdc;
    private static GssAcceptor acceptor;

    @BeforeEach
    void realm(MitKdc realm) throws RpcGssException {
        if (acceptor != null) {
            return;
        }
        kdc = realm;
        acceptor = GssAcceptor.fromKeytab(kdc.serviceKeytab(), MitKdc.KV_SERVICE, GssServerOptions.defaults());
    }

    private static GssPrincipal principalSeenByServer(GssLogin login) throws Exception {
        GssClientContext context = GssWire.establish(GssInitiator.create(login, "kv@localhost", GssService.NONE),
                acceptor);
        GssWire.ParsedCall p = GssWire.parse(GssWire.dataCall(context, GssProc.DATA, context.nextSequence(), 1,
                GssWire.GET_PROC, java.nio.ByteBuffer.allocate(0)));
        return acceptor.verifyCall(p.credential(), p.header(), p.verifierFlavor(), p.verifierBody()).principal();
    }

    @Test
    void keytabLoginActsAsItsPrincipal() throws Exception {
        GssLogin bob = GssLogin.fromKeytab(MitKdc.BOB, kdc.keytab(MitKdc.BOB));
        assertEquals(MitKdc.BOB, bob.principal());
        assertEquals(new GssPrincipal(MitKdc.BOB), principalSeenByServer(bob));
    }

    @Test
    void ticketCacheFilledByKinitActsAsItsPrincipal() throws Exception {
        Path kinit = External.requireExecutables("krb5-user", "kinit").get(0);
        Path cache = kdc.kinit(kinit, MitKdc.ALICE, "ccache-login-test");
        try {
            GssLogin fromCache = GssLogin.fromTicketCache(null, cache);
            assertEquals(MitKdc.ALICE, fromCache.principal());
            assertEquals(new GssPrincipal(MitKdc.ALICE), principalSeenByServer(fromCache));
        } finally {
            Files.deleteIfExists(cache);
        }
    }

    @Test
    void subjectLoggedInByTheApplicationIsUsedAsItIs() throws Exception {
        Subject subject = GssLogin.fromKeytab(MitKdc.ALICE, kdc.keytab(MitKdc.ALICE)).subject();
        assertEquals(new GssPrincipal(MitKdc.ALICE), principalSeenByServer(GssLogin.fromSubject(subject)));
    }

    @Test
    void missingTicketCacheSaysNoTicketAndToRunKinit() {
        Path nowhere = kdc.dir().resolve("no-such-ccache");
        RpcGssException e = assertThrows(RpcGssException.class,
                () -> GssLogin.fromTicketCache(MitKdc.ALICE, nowhere));
        assertTrue(e.getMessage().startsWith("no Kerberos ticket for " + MitKdc.ALICE), e.getMessage());
        assertTrue(e.getMessage().contains("run kinit " + MitKdc.ALICE), e.getMessage());
    }

    @Test
    void emptyTicketCacheSaysNoTicketAndToRunKinit() throws IOException {
        Path empty = Files.createFile(kdc.dir().resolve("empty-ccache"));
        try {
            RpcGssException e = assertThrows(RpcGssException.class,
                    () -> GssLogin.fromTicketCache(MitKdc.ALICE, empty));
            assertTrue(e.getMessage().startsWith("no Kerberos ticket for " + MitKdc.ALICE + " in ticket cache "
                    + empty), e.getMessage());
            assertTrue(e.getMessage().contains("run kinit " + MitKdc.ALICE), e.getMessage());
        } finally {
            Files.delete(empty);
        }
    }

    @Test
    void subjectWithoutTicketsSaysNoTicket() {
        RpcGssException e = assertThrows(RpcGssException.class,
                () -> GssInitiator.create(GssLogin.fromSubject(new Subject()), "kv@localhost", GssService.NONE));
        assertTrue(e.getMessage().startsWith("no Kerberos ticket for any principal in the login subject"),
                e.getMessage());
    }

    @Test
    void keytabOfAnotherPrincipalIsRefusedByTheKdc() {
        RpcGssException e = assertThrows(RpcGssException.class,
                () -> GssLogin.fromKeytab(MitKdc.BOB, kdc.keytab(MitKdc.ALICE)));
        assertTrue(e.getMessage().startsWith("logging in as " + MitKdc.BOB + " with key tab "), e.getMessage());
    }

    @Test
    void serviceUnknownToTheKdcIsNamedInTheMessage() throws RpcGssException {
        GssLogin alice = GssLogin.fromKeytab(MitKdc.ALICE, kdc.keytab(MitKdc.ALICE));
        GssInitiator initiator = GssInitiator.create(alice, "kv/elsewhere@" + MitKdc.REALM, GssService.NONE);
        RpcGssException e = assertThrows(RpcGssException.class, initiator::initArgument);
        assertTrue(e.getMessage().contains("service principal is not in the KDC's database"), e.getMessage());
        assertTrue(e.getMessage().startsWith("context for kv/elsewhere@" + MitKdc.REALM + " as " + MitKdc.ALICE), e.getMessage());
    }

    @Test
    void acceptorWithoutAKeyForItsPrincipalSaysSo() {
        RpcGssException e = assertThrows(RpcGssException.class, () -> GssAcceptor.fromKeytab(
                kdc.keytab(MitKdc.ALICE), MitKdc.KV_SERVICE, GssServerOptions.defaults()));
        assertTrue(e.getMessage().contains("holds no key for " + MitKdc.KV_SERVICE), e.getMessage());
        RpcGssException missing = assertThrows(RpcGssException.class, () -> GssAcceptor.fromKeytab(
                kdc.dir().resolve("none.keytab"), MitKdc.KV_SERVICE, GssServerOptions.defaults()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }
}
