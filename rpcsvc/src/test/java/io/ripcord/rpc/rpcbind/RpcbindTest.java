package io.ripcord.rpc.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.rpcbind.RpcbindRegistration.ProgramVersion;
import io.ripcord.testsupport.External;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Against the real rpcbind daemon (start it with {@code rpcbind -w} as root). Without it these tests fail under
 * {@code CI=true} and are skipped elsewhere.
 */
@Tag("external")
class RpcbindTest {

    private static final int PORT = 40_000 + ThreadLocalRandom.current().nextInt(20_000);

    private EventPool pool;
    /** A transient program number (RFC 5531 appendix: 0x40000000-0x5fffffff), new for every test. */
    private int prog;
    private RpcbindRegistration registration;

    @BeforeEach
    void setUp() {
        External.requireRpcbind();
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("rpcb").build()).start();
        prog = 0x40000000 + ThreadLocalRandom.current().nextInt(0x20000000);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pool == null) {
            return;
        }
        if (registration != null) {
            registration.unregister().get(10, TimeUnit.SECONDS);
        }
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private RpcbindClient tcp() throws Exception {
        return RpcbindClient.connect(pool).get(10, TimeUnit.SECONDS);
    }

    @Test
    void rpcbindMapsItselfToPort111() throws Exception {
        try (RpcbindClient c = tcp()) {
            c.ping().get(10, TimeUnit.SECONDS);
            assertEquals(111, c.getPort(Rpcbind.PROGRAM, 2, Protocol.TCP).get(10, TimeUnit.SECONDS));
            String uaddr = c.getAddr(Rpcbind.PROGRAM, 4, "tcp").get(10, TimeUnit.SECONDS);
            assertEquals(111, UniversalAddress.parse(uaddr).getPort(), uaddr);
            assertTrue(c.dump().get(10, TimeUnit.SECONDS)
                    .contains(new PortMapping(Rpcbind.PROGRAM, 4, Rpcbind.IPPROTO_UDP, 111)));
        }
    }

    @Test
    void aServerBoundToLoopbackIsRegisteredWithItsAddressNotTheWildcard() throws Exception {
        java.net.InetSocketAddress listening = new java.net.InetSocketAddress("127.0.0.1", PORT);
        registration = RpcbindRegistration.register(pool, List.of(new ProgramVersion(prog, 1)), listening,
                Set.of(Protocol.TCP)).get(10, TimeUnit.SECONDS);
        try (RpcbindClient c = tcp()) {
            assertEquals("127.0.0.1." + (PORT >> 8) + "." + (PORT & 0xff),
                    c.getAddr(prog, 1, "tcp").get(10, TimeUnit.SECONDS));
            assertEquals(PORT, c.getPort(prog, 1, Protocol.TCP).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void registrationShowsInGetportGetaddrDumpAndRpcinfoUntilUnregistered() throws Exception {
        registration = RpcbindRegistration.register(pool, List.of(new ProgramVersion(prog, 1),
                new ProgramVersion(prog, 2)), PORT, Set.of(Protocol.TCP, Protocol.UDP)).get(10, TimeUnit.SECONDS);
        try (RpcbindClient c = tcp()) {
            assertEquals(PORT, c.getPort(prog, 1, Protocol.TCP).get(10, TimeUnit.SECONDS));
            assertEquals(PORT, c.getPort(prog, 2, Protocol.UDP).get(10, TimeUnit.SECONDS));
            assertEquals(PORT, UniversalAddress.parse(c.getAddr(prog, 2, "tcp").get(10, TimeUnit.SECONDS)).getPort());
            List<PortMapping> dump = c.dump().get(10, TimeUnit.SECONDS);
            for (int v = 1; v <= 2; v++) {
                for (Protocol p : Protocol.values()) {
                    assertTrue(dump.contains(new PortMapping(prog, v, p.ipProtocol(), PORT)), dump.toString());
                }
            }
            assertTrue(c.dumpV4().get(10, TimeUnit.SECONDS).stream()
                    .anyMatch(m -> m.program() == prog && m.version() == 1 && m.netid().equals("udp")
                            && m.address().equals(UniversalAddress.anyIpv4(PORT))));
            assertEquals(Set.of(prog + " 1 tcp " + PORT, prog + " 1 udp " + PORT, prog + " 2 tcp " + PORT,
                    prog + " 2 udp " + PORT), rpcinfoLines(prog));

            registration.unregister().get(10, TimeUnit.SECONDS);
            registration = null;
            assertEquals(0, c.getPort(prog, 1, Protocol.TCP).get(10, TimeUnit.SECONDS));
            assertEquals("", c.getAddr(prog, 2, "udp").get(10, TimeUnit.SECONDS));
            assertFalse(c.dump().get(10, TimeUnit.SECONDS).stream().anyMatch(m -> m.program() == prog));
            assertEquals(Set.of(), rpcinfoLines(prog));
        }
    }

    @Test
    void aStaleMappingFromAPreviousRunIsReplaced() throws Exception {
        try (RpcbindClient local = RpcbindClient.connect(pool, RpcbindClient.LOCAL_SOCKET,
                RpcClientOptions.defaults()).get(10, TimeUnit.SECONDS)) {
            assertTrue(local.set(prog, 1, Protocol.TCP, PORT + 1, "ripcord").get(10, TimeUnit.SECONDS));
            assertFalse(local.set(prog, 1, Protocol.TCP, PORT + 2, "ripcord").get(10, TimeUnit.SECONDS),
                    "rpcbind keeps the first mapping");
        }
        registration = RpcbindRegistration.register(pool, List.of(new ProgramVersion(prog, 1)), PORT,
                Set.of(Protocol.TCP)).get(10, TimeUnit.SECONDS);
        try (RpcbindClient c = tcp()) {
            assertEquals(PORT, c.getPort(prog, 1, Protocol.TCP).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void rpcbindRecordsWhoSetAMappingAndOnlyThatOwnerOrTheSuperuserMayUnsetIt() throws Exception {
        try (RpcbindClient local = RpcbindClient.connect(pool, RpcbindClient.LOCAL_SOCKET,
                RpcClientOptions.defaults()).get(10, TimeUnit.SECONDS); RpcbindClient tcp = tcp()) {
            assertTrue(local.set(prog, 1, Protocol.TCP, PORT, "ripcord").get(10, TimeUnit.SECONDS));
            assertTrue(tcp.set(prog, 2, Protocol.TCP, PORT, "ripcord").get(10, TimeUnit.SECONDS));
            try {
                // The owner we send is replaced: "superuser" (root over the local socket), "unknown" over TCP.
                List<RpcbMapping> mine = tcp.dumpV4().get(10, TimeUnit.SECONDS).stream()
                        .filter(m -> m.program() == prog).collect(Collectors.toList());
                assertEquals(List.of(new RpcbMapping(prog, 1, "tcp", UniversalAddress.anyIpv4(PORT), "superuser"),
                        new RpcbMapping(prog, 2, "tcp", UniversalAddress.anyIpv4(PORT), "unknown")),
                        mine.stream().sorted(java.util.Comparator.comparingInt(RpcbMapping::version))
                                .collect(Collectors.toList()));
                assertFalse(tcp.unset(prog, 1, "ripcord").get(10, TimeUnit.SECONDS), "not the owner");
                assertEquals(PORT, tcp.getPort(prog, 1, Protocol.TCP).get(10, TimeUnit.SECONDS));
            } finally {
                assertTrue(local.unset(prog, 1, "ripcord").get(10, TimeUnit.SECONDS));
                assertTrue(local.unset(prog, 2, "ripcord").get(10, TimeUnit.SECONDS), "the superuser may");
            }
            assertEquals(0, tcp.getPort(prog, 2, Protocol.TCP).get(10, TimeUnit.SECONDS));
        }
    }

    /** {@code rpcinfo -p}'s lines for {@code prog}, as "prog vers proto port". */
    private static Set<String> rpcinfoLines(int prog) throws Exception {
        Process p = new ProcessBuilder("rpcinfo", "-p", "127.0.0.1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "rpcinfo did not finish");
        assertEquals(0, p.exitValue(), out);
        return out.lines().map(String::trim).map(l -> l.split("\\s+"))
                .filter(f -> f.length >= 4 && f[0].equals(Integer.toUnsignedString(prog)))
                .map(f -> f[0] + " " + f[1] + " " + f[2] + " " + f[3])
                .collect(Collectors.toSet());
    }
}
