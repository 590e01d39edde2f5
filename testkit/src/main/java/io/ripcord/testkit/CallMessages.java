package io.ripcord.testkit;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.CallHeader;
import io.ripcord.rpc.MsgType;
import io.ripcord.rpc.RecordMarking;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrWriter;
import java.nio.ByteBuffer;

/** ONC RPC messages (RFC 5531 section 9) as the kit writes them: calls for a harness, replies for a script. */
final class CallMessages {

    private CallMessages() {
    }

    /** A CALL with {@code credential} (a fixed-body one) and an AUTH_NONE verifier, unframed. */
    static <A> byte[] call(int xid, int program, int version, int procedure, Credential credential,
                           XdrWriter<? super A> writer, A args) {
        XdrEncoder e = new XdrEncoder();
        CallHeader.writeCall(e, xid, program, version, procedure);
        e.writeInt(credential.flavor());
        e.writeOpaque(credential.body(), AuthFlavor.MAX_BODY);
        e.writeInt(AuthFlavor.AUTH_NONE);
        e.writeInt(0);
        writer.write(e, args);
        return bytes(e);
    }

    /** A REPLY's start in a fresh encoder, with room for a record mark: xid, REPLY, {@code replyStat}. */
    static XdrEncoder reply(int xid, int replyStat) {
        XdrEncoder e = new XdrEncoder().reset(RecordMarking.HEADER_SIZE);
        e.writeInt(xid);
        e.writeInt(MsgType.REPLY);
        e.writeInt(replyStat);
        return e;
    }

    static byte[] bytes(XdrEncoder e) {
        ByteBuffer b = e.toBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
