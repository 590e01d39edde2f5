package io.ripcord.rpc;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** Raw ONC RPC bytes for tests: calls built by hand, replies read back as ints. */
public final class Wire {
    private Wire() {
    }

    /** A call message (no record mark) with the given credential flavor and body and an AUTH_NONE verifier. */
    public static byte[] call(int xid, int rpcvers, int prog, int vers, int proc, int credFlavor, byte[] credBody,
                       byte[] args) {
        ByteBuffer b = ByteBuffer.allocate(64 + pad(credBody.length) + args.length);
        b.putInt(xid).putInt(MsgType.CALL).putInt(rpcvers).putInt(prog).putInt(vers).putInt(proc);
        b.putInt(credFlavor).putInt(credBody.length).put(credBody);
        for (int i = credBody.length; i < pad(credBody.length); i++) {
            b.put((byte) 0);
        }
        b.putInt(AuthFlavor.AUTH_NONE).putInt(0);
        b.put(args);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    public static byte[] call(int xid, int prog, int vers, int proc, byte[] args) {
        return call(xid, 2, prog, vers, proc, AuthFlavor.AUTH_NONE, new byte[0], args);
    }

    public static int pad(int n) {
        return (n + 3) & ~3;
    }

    /** One last fragment holding {@code msg}. */
    public static byte[] record(byte[] msg) {
        return ByteBuffer.allocate(4 + msg.length).putInt(0x80000000 | msg.length).put(msg).array();
    }

    public static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.write(p, 0, p.length);
        }
        return o.toByteArray();
    }

    /** Reads one record (all fragments) from a blocking stream. */
    public static byte[] readRecord(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        boolean last;
        do {
            int h = d.readInt();
            last = h < 0;
            byte[] frag = new byte[h & 0x7fffffff];
            d.readFully(frag);
            o.write(frag, 0, frag.length);
        } while (!last);
        return o.toByteArray();
    }

    public static int[] asInts(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b);
        int[] out = new int[b.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getInt();
        }
        return out;
    }
}
