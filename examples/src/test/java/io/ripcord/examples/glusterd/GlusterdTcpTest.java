package io.ripcord.examples.glusterd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.AcceptStat;
import io.ripcord.rpc.GfDump;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint's two listeners with raw ONC RPC (the CLI cannot be pointed at a TCP port other than 24007):
 * the Unix socket serves the full CLI program, TCP the read-only one, each with its own GF-DUMP, as glusterd.
 */
class GlusterdTcpTest {

    /** The CLI's credential: AUTH_GLUSTERFS_v2 with pid, uid, gid 0, no groups, a 4-byte zero lk_owner. */
    private static final int AUTH_GLUSTERFS_V2 = 390039;

    @TempDir
    Path dir;

    private GlusterdEndpoint endpoint;
    private SocketAddress unix;
    private SocketAddress tcp;

    @BeforeEach
    void start() throws IOException {
        endpoint = GlusterdEndpoint.start(dir.resolve("s"), new InetSocketAddress("127.0.0.1", 0),
                dir.resolve("state"));
        unix = endpoint.addresses().get(0);
        tcp = endpoint.addresses().get(1);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void eachListenerDumpsItsOwnProgramTable() throws IOException {
        assertEquals(List.of("GF-DUMP 123451501 v1", "GlusterD svc cli 1238463 v2"), dump(unix));
        assertEquals(List.of("GF-DUMP 123451501 v1", "GlusterD svc cli read-only 1238463 v2"), dump(tcp));
    }

    @Test
    void tcpServesVolumeListButRefusesCreateWithProcUnavailAndStaysOpen() throws IOException {
        try (SocketChannel ch = SocketChannel.open(tcp)) {
            ByteBuffer list = call(ch, 2, GlusterCliProgram.PROGRAM, GlusterCliProgram.VERSION,
                    GlusterCliProgram.LIST_VOLUME, new byte[4]);
            assertEquals(AcceptStat.SUCCESS, acceptStat(list));
            assertEquals(0, list.getInt());   // op_ret
            assertEquals(0, list.getInt());   // op_errno
            assertEquals(0, list.getInt());   // op_errstr, empty
            byte[] dict = new byte[list.getInt()];
            list.get(dict);
            assertEquals("0", GlusterDict.decode(ByteBuffer.wrap(dict)).get("count"));

            byte[] create = GlusterDict.builder().put("volname", "v").build().encode();
            ByteBuffer refused = call(ch, 3, GlusterCliProgram.PROGRAM, GlusterCliProgram.VERSION,
                    GlusterCliProgram.CREATE_VOLUME, opaque(create));
            assertEquals(AcceptStat.PROC_UNAVAIL, acceptStat(refused));
            assertEquals(0, refused.remaining());

            ByteBuffer again = call(ch, 4, GlusterCliProgram.PROGRAM, GlusterCliProgram.VERSION,
                    GlusterCliProgram.LIST_VOLUME, new byte[4]);
            assertEquals(AcceptStat.SUCCESS, acceptStat(again));
        }
        assertTrue(endpoint.state().volumes().isEmpty());
    }

    @Test
    void unixRefusesAnUnknownProcedureWithProcUnavail() throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(unix);
            ByteBuffer r = call(ch, 2, GlusterCliProgram.PROGRAM, GlusterCliProgram.VERSION, 20, new byte[4]);
            assertEquals(AcceptStat.PROC_UNAVAIL, acceptStat(r));
        }
    }

    @Test
    void malformedDictIsGarbageArgs() throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(unix);
            byte[] bad = {0, 0, 0, 5, 0, 0, 0, 1};  // five pairs promised, none there
            ByteBuffer r = call(ch, 2, GlusterCliProgram.PROGRAM, GlusterCliProgram.VERSION,
                    GlusterCliProgram.GET_VOLUME, opaque(bad));
            assertEquals(AcceptStat.GARBAGE_ARGS, acceptStat(r));
        }
    }

    private List<String> dump(SocketAddress address) throws IOException {
        try (SocketChannel ch = SocketChannel.open(address instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET)) {
            ch.connect(address);
            ByteBuffer r = call(ch, 7, GfDump.PROGRAM, GfDump.VERSION, GfDump.DUMP, new byte[8]);
            assertEquals(AcceptStat.SUCCESS, acceptStat(r));
            r.getLong();  // gfs_id
            assertEquals(0, r.getInt());
            assertEquals(0, r.getInt());
            List<String> out = new ArrayList<>();
            while (r.getInt() == 1) {
                byte[] name = new byte[r.getInt()];
                r.get(name);
                r.position(r.position() + (4 - name.length % 4) % 4);
                out.add(new String(name, StandardCharsets.US_ASCII) + " " + r.getLong() + " v" + r.getLong());
            }
            return out;
        }
    }

    private static byte[] opaque(byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + (body.length + 3) / 4 * 4).putInt(body.length).put(body);
        return b.array();
    }

    /** Sends one CALL with the CLI's credential and returns the reply after its xid and message type. */
    private static ByteBuffer call(SocketChannel ch, int xid, int prog, int vers, int proc, byte[] args)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 40 + 24 + args.length);
        b.putInt(0x80000000 | (b.capacity() - 4)).putInt(xid).putInt(0).putInt(2).putInt(prog).putInt(vers)
                .putInt(proc).putInt(AUTH_GLUSTERFS_V2).putInt(24).putInt(0).putInt(0).putInt(0).putInt(0)
                .putInt(4).putInt(0).putInt(0).putInt(0).put(args).flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
        ByteBuffer mark = readFully(ch, 4);
        int len = mark.getInt() & 0x7fffffff;
        ByteBuffer reply = readFully(ch, len);
        assertEquals(xid, reply.getInt());
        assertEquals(1, reply.getInt());  // REPLY
        return reply;
    }

    /** Checks MSG_ACCEPTED and the AUTH_NONE verifier; returns the accept_stat. */
    private static int acceptStat(ByteBuffer reply) {
        assertEquals(0, reply.getInt());  // MSG_ACCEPTED
        assertEquals(0, reply.getInt());  // verifier AUTH_NONE
        assertEquals(0, reply.getInt());
        return reply.getInt();
    }

    private static ByteBuffer readFully(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("EOF after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.flip();
    }
}
