package io.ripcord.rpc.auth.gss;

import io.ripcord.testsupport.External;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.testsupport.MitKdc;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The throw-away realm itself: it issues tickets, listens on TCP and UDP, and leaves nothing behind. */
@Tag("external")
@ExtendWith(KerberosRealm.class)
class MitKdcTest {

    private static MitKdc kdc;

    @BeforeEach
    void realm(MitKdc realm) {
        if (kdc != null) {
            return;
        }
        kdc = realm;
    }

    @Test
    void kinitWithAUserKeytabGetsATicketGrantingTicketFromTheRealm() throws IOException {
        List<Path> tools = External.requireExecutables("krb5-user", "kinit", "klist");
        Path cache = kdc.kinit(tools.get(0), MitKdc.ALICE, "ccache-kdc-test");
        String klist = MitKdc.run(kdc.dir(), kdc.env(), tools.get(1).toString(), "-c", "FILE:" + cache);
        assertTrue(klist.contains("Default principal: " + MitKdc.ALICE), klist);
        assertTrue(klist.contains("krbtgt/" + MitKdc.REALM + "@" + MitKdc.REALM), klist);
        Files.delete(cache);
    }

    @Test
    void kdcHoldsItsPortOnLoopbackForTcpAndUdp() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", kdc.port()), 2000);
        }
        assertThrows(BindException.class,
                () -> new DatagramSocket(new InetSocketAddress("127.0.0.1", kdc.port())).close());
    }

    @Test
    void realmFilesLiveInItsOwnDirectory() {
        for (Path p : List.of(kdc.krb5Conf(), kdc.serviceKeytab(), kdc.keytab(MitKdc.ALICE), kdc.keytab(MitKdc.BOB))) {
            assertTrue(p.startsWith(kdc.dir()) && Files.isRegularFile(p), p.toString());
        }
        assertTrue(kdc.env().values().stream().allMatch(v -> v.contains(kdc.dir().toString())), kdc.env().toString());
    }

    @Test
    void closeStopsTheKdcAndRemovesTheRealm() throws IOException {
        List<Path> tools = External.requireExecutables("krb5-kdc, krb5-admin-server", "krb5kdc", "kdb5_util",
                "kadmin.local");
        MitKdc second = MitKdc.start(tools);
        Path dir = second.dir();
        assertTrue(second.running());
        second.close();
        assertFalse(second.running());
        assertFalse(Files.exists(dir), dir + " still exists");
    }
}
