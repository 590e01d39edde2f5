package io.ripcord.examples.rpc;

import static io.ripcord.examples.rpc.RpcCli.hostPort;
import static io.ripcord.examples.rpc.RpcCli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.examples.kv.KvServer;
import io.ripcord.examples.rpc.RpcCli.Result;
import io.ripcord.testsupport.External;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code rpc ping|dump|call|rpcbind} in-process, against the KV server on an ephemeral port. */
class RpcCommandTest {

    static final String KV = "536873739";
    static KvServer server;
    static String target;

    @BeforeAll
    static void startServer() throws Exception {
        server = KvServer.start("127.0.0.1", 0, 1, false);
        target = hostPort(server.tcpAddress());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    // --- ping ---------------------------------------------------------------------------------------------

    @Test
    void pingWithoutVersionDiscoversVersionsOneAndTwoThroughProgMismatch() {
        Result r = run("rpc", "ping", target, KV);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("program 536873739 version 1 ready and waiting",
                "program 536873739 version 2 ready and waiting"), r.lines(), r.toString());
        assertEquals("", r.err(), r.toString());
    }

    @Test
    void pingOverUdpDiscoversTheSameVersions() {
        Result r = run("rpc", "ping", "--udp", target, KV);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("program 536873739 version 1 ready and waiting",
                "program 536873739 version 2 ready and waiting"), r.lines(), r.toString());
    }

    @Test
    void udpToAUnixSocketIsRefusedWithAMessage() {
        Result r = run("rpc", "ping", "--udp", "/run/nothing.sock", KV, "1");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("--udp needs HOST:PORT"), r.toString());
    }

    @Test
    void pingOfOneVersionCallsThatVersionOnly() {
        Result r = run("rpc", "ping", target, "0x20000B0B", "2");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("program 536873739 version 2 ready and waiting"), r.lines(), r.toString());
    }

    @Test
    void pingOfUnknownProgramFailsWithExitCode1AndTheTypedError() {
        Result r = run("rpc", "ping", target, "99");
        assertEquals(1, r.exit(), r.toString());
        assertEquals(List.of("program 99 version 0 is not available"), r.lines(), r.toString());
        assertTrue(r.err().startsWith("rpc: ProgramUnavailableException: ") && r.err().contains("PROG_UNAVAIL"),
                r.toString());
    }

    @Test
    void pingOfUnservedVersionReportsTheServedRangeOnStderr() {
        Result r = run("rpc", "ping", target, KV, "7");
        assertEquals(1, r.exit(), r.toString());
        assertEquals(List.of("program 536873739 version 7 is not available"), r.lines(), r.toString());
        assertTrue(r.err().contains("ProgramMismatchException") && r.err().contains("versions 1 to 2"),
                r.toString());
    }

    @Test
    void pingOfAClosedPortFailsWithTheConnectError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Result r = run("rpc", "ping", "127.0.0.1:" + port, KV, "1", "--timeout", "5");
        assertEquals(1, r.exit(), r.toString());
        assertEquals(List.of("program 536873739 version 1 is not available"), r.lines(), r.toString());
        assertTrue(r.err().contains("cannot connect to 127.0.0.1:" + port), r.toString());
    }

    @Test
    void pingOfAnEchoServerSaysItDoesNotSpeakOncRpcInsteadOfTimingOut() throws Exception {
        try (io.ripcord.examples.echo.EchoServer echo = io.ripcord.examples.echo.EchoServer.start(
                new InetSocketAddress("127.0.0.1", 0), 1, null)) {
            Result r = run("rpc", "ping", hostPort((InetSocketAddress) echo.address()), KV, "1", "--timeout", "600");
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("sent the call back instead of a reply: it does not speak ONC RPC"),
                    r.toString());
        }
    }

    @Test
    void malformedAddressIsAUsageError() {
        assertEquals(2, run("rpc", "ping", "127.0.0.1", KV).exit());
        assertEquals(2, run("rpc", "ping", "127.0.0.1:http", KV).exit());
        assertEquals(2, run("rpc", "ping", target, "no-such-program-name").exit());
        assertEquals(2, run("rpc").exit());
    }

    // --- dump ---------------------------------------------------------------------------------------------

    @Test
    void dumpListsGfDumpAndBothKvVersionsInATable() {
        Result r = run("rpc", "dump", target);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of(
                "     program vers  name",
                "   123451501    1  GF-DUMP",
                "   536873739    1  KV",
                "   536873739    2  KV"), r.lines(), r.toString());
    }

    // --- call ---------------------------------------------------------------------------------------------

    @Test
    void callOfKvNullSucceedsWithNoResultBytes() {
        Result r = run("rpc", "call", target, KV, "1", "0");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("SUCCESS (0 result bytes)"), r.lines(), r.toString());
    }

    @Test
    void callOfGfDumpPingPrintsTheCommonReplyBytes() {
        Result r = run("rpc", "call", target, "123451501", "1", "2");
        assertEquals(0, r.exit(), r.toString());
        // gf_common_rsp { op_ret 0; op_errno 0; xdata<> empty }
        assertEquals(List.of("SUCCESS (12 result bytes)", "0000: 00000000 00000000 00000000"), r.lines(),
                r.toString());
    }

    @Test
    void callWithHexArgumentsPutsAndGetsAValue() {
        Result put = run("rpc", "call", target, KV, "2", "1", "--hex",
                "00000007 72706363 6c693100 00000005 68656c6c 6f000000"); // key "rpccli1", value "hello"
        assertEquals(0, put.exit(), put.toString());
        Result get = run("rpc", "call", target, KV, "2", "2", "--hex", "0x00000007_72706363_6c693100");
        assertEquals(0, get.exit(), get.toString());
        assertEquals(List.of("SUCCESS (16 result bytes)", "0000: 00000001 00000005 68656c6c 6f000000"),
                get.lines(), get.toString());
    }

    @Test
    void callOfUnservedVersionShowsProgMismatchWithTheRange() {
        Result r = run("rpc", "call", target, KV, "9", "0");
        assertEquals(1, r.exit(), r.toString());
        assertEquals(List.of("PROG_MISMATCH 1-2"), r.lines(), r.toString());
    }

    @Test
    void callShowsTheServersErrorStates() {
        assertEquals(List.of("PROG_UNAVAIL"), run("rpc", "call", target, "99", "1", "0").lines());
        assertEquals(List.of("PROC_UNAVAIL"), run("rpc", "call", target, KV, "1", "77").lines());
        assertEquals(List.of("GARBAGE_ARGS"), run("rpc", "call", target, KV, "1", "2", "--hex", "ffffffff").lines());
        // An unknown credential flavor is refused, never downgraded to AUTH_NONE (DESIGN.md).
        Result auth = run("rpc", "call", target, KV, "1", "0", "--cred", "12345:00000000");
        assertEquals(List.of("AUTH_ERROR AUTH_BADCRED"), auth.lines(), auth.toString());
        assertEquals(1, auth.exit());
    }

    @Test
    void callRefusesArgumentsThatAreNotWholeXdrUnits() {
        Result r = run("rpc", "call", target, KV, "1", "2", "--hex", "000003");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("multiple of 4"), r.toString());
    }

    /** Replies no KV server sends, from a fake server: each is printed as its state. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "00000000 00000000 00000000 00000000 deadbeef | SUCCESS (4 result bytes);0000: deadbeef",
        "00000000 00000000 00000000 00000005          | SYSTEM_ERR",
        "00000001 00000000 00000002 00000002          | RPC_MISMATCH 2-2",
        "00000001 00000001 00000005                   | AUTH_ERROR AUTH_TOOWEAK",
        "00000000 00000000 00000000 00000000 deadbeef 01 | GARBAGE_REPLY",
    })
    void callPrintsEachReplyState(String replyBody, String expected) throws Exception {
        byte[] body = RpcCli.hex(replyBody);
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = fake.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] call = new byte[in.readInt() & 0x7fffffff];
                    in.readFully(call);
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeInt(0x80000000 | (8 + body.length));
                    out.write(call, 0, 4);  // the call's xid
                    out.writeInt(1);        // REPLY
                    out.write(body);
                    out.flush();
                    in.read();              // hold the connection until the client closes it
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Result r = run("rpc", "call", "127.0.0.1:" + fake.getLocalPort(), KV, "1", "0", "--timeout", "10");
            assertEquals(List.of(expected.split(";")), r.lines(), r.toString());
            assertEquals(expected.startsWith("SUCCESS") ? 0 : 1, r.exit(), r.toString());
            if (expected.equals("GARBAGE_REPLY")) {
                assertTrue(r.err().contains("1 bytes left after the results"), r.toString());
            }
            served.get(10, TimeUnit.SECONDS);
        }
    }

    // --- rpcbind ------------------------------------------------------------------------------------------

    @Test
    @Tag("external")
    void rpcbindListsThePortmapperLikeRpcinfoP() {
        External.requireRpcbind();
        Result r = run("rpc", "rpcbind", "127.0.0.1", "--timeout", "5");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("   program vers proto   port  service", r.lines().get(0));
        for (String v : new String[] {"2", "3", "4"}) {
            for (String proto : new String[] {"tcp", "udp"}) {
                String row = String.format("%10s %4s %5s %6d  %s", "100000", v, proto, 111, "portmapper");
                assertTrue(r.lines().contains(row), row + " in\n" + r);
            }
        }
    }

    @Test
    @Tag("external")
    void rpcbindOverUdpListsThePortmapperToo() {
        External.requireRpcbind();
        Result r = run("rpc", "rpcbind", "--udp", "127.0.0.1", "--timeout", "5");
        assertEquals(0, r.exit(), r.toString());
        String row = String.format("%10s %4s %5s %6d  %s", "100000", "2", "udp", 111, "portmapper");
        assertTrue(r.lines().contains(row), row + " in\n" + r);
    }

    @Test
    @Tag("external")
    void rpcbindV4ListsNetidsAndOwners() {
        External.requireRpcbind();
        Result r = run("rpc", "rpcbind", "--v4", "--timeout", "5");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.lines().stream().anyMatch(l -> l.matches(" +100000 +2 +tcp +0\\.0\\.0\\.0\\.0\\.111 +portmapper .+")),
                r.toString());
    }
}
