package io.ripcord.rpc.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcProgramListener;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.rpc.client.AuthErrorException;
import io.ripcord.rpc.client.CallOptions;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.testsupport.External;
import io.ripcord.transport.Listener;
import io.ripcord.transport.Transport;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link UnixPeerCheck}: over a Unix socket, a credential's uid must be the peer process's ({@code SO_PEERCRED});
 * over TCP nothing is checked. The peer is read once per connection and kept as its identity.
 */
class UnixPeerCheckTest {

    private static final int PROG = 0x20004321;
    /** The uid the test runs as. */
    private static final int ME = uid();

    private EventPool pool;
    private Path dir;
    private Listener unix;
    private Listener tcp;
    private final AtomicInteger runs = new AtomicInteger();
    private final Map<Transport, Object> identified = new ConcurrentHashMap<>();

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (Exception e) {
            throw new IllegalStateException("cannot read this process's uid", e);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("peer").build()).start();
        RpcService service = RpcService.create(UnixPeerCheck.install(RpcServiceOptions.builder()).build());
        service.register(RpcProgram.builder(PROG, 1, "PEER")
                .listener(new RpcProgramListener() {
                    @Override
                    public void onIdentified(Transport transport, Object identity) {
                        identified.put(transport, identity);
                    }
                })
                .actor(RpcActor.of(1, "UID", RpcActor.VOID, (call, a) -> {
                    runs.incrementAndGet();
                    call.reply(uidOf(call), (e, v) -> e.writeInt(v));
                }))
                .build());
        dir = Files.createTempDirectory("peer-check");
        unix = service.listen(pool, UnixDomainSocketAddress.of(dir.resolve("rpc.sock")));
        tcp = service.listen(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private static int uidOf(RpcCall call) {
        Object p = call.principal();
        return p instanceof AuthSysCredential ? ((AuthSysCredential) p).uid() : ((GlusterCredential) p).uid();
    }

    @AfterEach
    void tearDown() throws Exception {
        unix.close();
        tcp.close();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        Files.deleteIfExists(dir.resolve("rpc.sock"));
        Files.delete(dir);
    }

    private int callAs(SocketAddress address, Credential credential) throws Exception {
        try (RpcClient client = RpcClient.connect(pool, address, RpcClientOptions.builder().credential(credential)
                .build()).get(10, TimeUnit.SECONDS)) {
            return client.callSync(PROG, 1, 1, (e, v) -> { }, null, d -> d.readInt(), CallOptions.defaults());
        }
    }

    private static Credential authSys(int uid) {
        return Credential.authSys(new AuthSysCredential(0, "peer-check", uid, uid, new int[0]));
    }

    private static Credential gluster(int uid) {
        return Credential.glusterV2(new GlusterCredential(1, uid, uid, new int[0], new byte[0]));
    }

    @Test
    void aUnixSocketPeerMaySpeakForItselfOnlyOverAuthSysAndGlusterCredentials() throws Exception {
        assertEquals(ME, callAs(unix.address(), authSys(ME)));
        assertEquals(ME, callAs(unix.address(), gluster(ME)));
        for (Credential other : List.of(authSys(ME + 1), gluster(ME + 1), authSys(ME == 0 ? 65534 : 0))) {
            AuthErrorException e = assertThrows(AuthErrorException.class, () -> callAs(unix.address(), other));
            assertEquals(AuthStat.AUTH_BADCRED, e.authStat());
        }
        assertEquals(2, runs.get(), "no refused call ran");
    }

    @Test
    void overTcpThereIsNoPeerToAskAndAnyUidPasses() throws Exception {
        assertEquals(ME + 1, callAs(tcp.address(), authSys(ME + 1)));
        assertTrue(identified.isEmpty());
    }

    @Test
    void thePeerIsReadOncePerConnectionAndKeptAsItsIdentity() throws Exception {
        try (RpcClient client = RpcClient.connect(pool, unix.address(), RpcClientOptions.builder()
                .credential(authSys(ME)).build()).get(10, TimeUnit.SECONDS)) {
            for (int i = 0; i < 3; i++) {
                client.callSync(PROG, 1, 1, (e, v) -> { }, null, d -> d.readInt(), CallOptions.defaults());
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> identified.size() == 1);
        UnixPeer peer = assertInstanceOf(UnixPeer.class, identified.values().iterator().next());
        assertEquals(Files.getOwner(Path.of("/proc/self")).getName(), peer.credentials().user().getName());
    }

    /** A process running as another user (root starts it as nobody) may not claim root's uid. */
    @Test
    @Tag("external")
    void aClientRunningAsAnotherUserCannotClaimAnotherUid() throws Exception {
        External.requireExecutable("python3", "python3");
        Path setpriv = External.requireExecutable("setpriv", "util-linux");
        External.require(ME == 0, "root (to start the test client as the user nobody)",
                "run the tests as root, as .ci/run does");
        Optional<Path> python = Stream.of("/usr/bin/python3", "/usr/local/bin/python3").map(Path::of)
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
        External.require(python.isPresent(), "a python3 that the user nobody may run (/usr/bin/python3)",
                "apt-get install python3");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = dir.resolve("rpc.sock");
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
        String script;
        try (InputStream in = UnixPeerCheckTest.class.getResourceAsStream("auth_sys_call.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int nobody = 65534;
        String accepted = runAs(setpriv, python.get(), script, socket, nobody, nobody);
        assertEquals("1516 1 0 0 0 0 " + nobody, accepted, "its own uid: accepted, the actor saw it");
        String refused = runAs(setpriv, python.get(), script, socket, nobody, 0);
        assertEquals("1516 1 1 1 " + AuthStat.AUTH_BADCRED, refused, "root's uid from nobody: AUTH_BADCRED");
        assertEquals(1, runs.get());
    }

    private static String runAs(Path setpriv, Path python, String script, Path socket, int user, int claimedUid)
            throws Exception {
        Process p = new ProcessBuilder(setpriv.toString(), "--reuid=" + user, "--regid=" + user, "--clear-groups",
                python.toString(), "-c", script, socket.toString(), Integer.toString(PROG), "1", "1",
                Integer.toString(claimedUid), Integer.toString(claimedUid))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the client finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
