package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;

/**
 * RPC call and reply bytes around the gss package's pieces, as the dispatch and the client will build and parse
 * them (RFC 5531 section 9): what phase 2 does, done by hand so the tests exercise real wire bytes.
 */
final class GssWire {

    static final int PROG = 0x20000B0B;
    static final int VERS = 1;
    static final int NULL_PROC = 0;
    static final int GET_PROC = 2;

    private GssWire() {
    }

    /** A call message (no record mark) as parsed by the server: the pieces the acceptor takes. */
    record ParsedCall(int xid, int proc, GssCredential credential, ByteBuffer header, int verifierFlavor,
            ByteBuffer verifierBody, ByteBuffer arguments) {
    }

    /** A reply to a call that the acceptor let through: verifier and protected results. */
    record Reply(int verifierFlavor, byte[] verifierBody, ByteBuffer results) {
    }

    /** Runs context creation between an initiator and an acceptor through encoded credentials and results. */
    static GssClientContext establish(GssInitiator initiator, GssAcceptor acceptor) throws Exception {
        for (int round = 0; round < 10; round++) {
            byte[] call = initCall(initiator.credential(), initiator.initArgument(), 100 + round);
            ParsedCall parsed = parse(call);
            GssInitReply reply = acceptor.establish(parsed.credential(), parsed.arguments());
            XdrEncoder results = new XdrEncoder();
            reply.result().encode(results);
            if (initiator.handleReply(results.toBuffer(), reply.verifierFlavor(),
                    ByteBuffer.wrap(reply.verifierBody()))) {
                return initiator.context();
            }
        }
        throw new AssertionError("context creation did not finish in 10 rounds");
    }

    /** A NULL call carrying a context creation credential (AUTH_NONE verifier, RFC 2203 section 5.2.2). */
    static byte[] initCall(GssCredential credential, byte[] initArgument, int xid) {
        XdrEncoder e = new XdrEncoder();
        header(e, xid, NULL_PROC, credential);
        e.writeInt(AuthFlavor.AUTH_NONE);
        e.writeInt(0);
        e.writeFixedOpaque(initArgument);
        return bytes(e);
    }

    /** A DATA (or DESTROY) call: header, the MIC of the header as verifier, protected arguments. */
    static byte[] dataCall(GssClientContext context, GssProc gssProc, int seq, int xid, int proc, ByteBuffer arguments)
            throws RpcGssException {
        XdrEncoder e = new XdrEncoder();
        header(e, xid, proc, context.credential(gssProc, seq));
        byte[] mic = context.headerVerifier(ByteBuffer.wrap(bytes(e)));
        e.writeInt(AuthFlavor.RPCSEC_GSS);
        e.writeOpaque(mic, AuthFlavor.MAX_BODY);
        context.wrapArguments(seq, arguments, e);
        return bytes(e);
    }

    private static void header(XdrEncoder e, int xid, int proc, GssCredential credential) {
        e.writeInt(xid);
        e.writeInt(0);
        e.writeInt(2);
        e.writeInt(PROG);
        e.writeInt(VERS);
        e.writeInt(proc);
        e.writeInt(AuthFlavor.RPCSEC_GSS);
        e.writeOpaque(credential.toBytes(), AuthFlavor.MAX_BODY);
    }

    /** What the dispatch does with a call message before it reaches the acceptor. */
    static ParsedCall parse(byte[] call) throws XdrException {
        ByteBuffer b = ByteBuffer.wrap(call);
        XdrDecoder d = new XdrDecoder(b);
        int xid = d.readInt();
        d.readInt();
        d.readInt();
        d.readInt();
        d.readInt();
        int proc = d.readInt();
        int flavor = d.readInt();
        if (flavor != AuthFlavor.RPCSEC_GSS) {
            throw new XdrException("credential flavor " + flavor);
        }
        ByteBuffer credentialBody = d.readOpaqueAsBuffer(AuthFlavor.MAX_BODY);
        ByteBuffer header = ByteBuffer.wrap(call, 0, b.position()).slice();
        GssCredential credential = GssCredential.decode(credentialBody);
        int verifierFlavor = d.readInt();
        ByteBuffer verifierBody = d.readOpaqueAsBuffer(AuthFlavor.MAX_BODY);
        return new ParsedCall(xid, proc, credential, header, verifierFlavor, verifierBody, b.slice());
    }

    /** The server side of one DATA call: verify, unwrap, let {@code actor} answer, wrap, sign. */
    static Reply serve(GssAcceptor acceptor, byte[] call, java.util.function.UnaryOperator<ByteBuffer> actor)
            throws Exception {
        ParsedCall parsed = parse(call);
        GssServerContext context = acceptor.verifyCall(parsed.credential(), parsed.header(), parsed.verifierFlavor(),
                parsed.verifierBody());
        ByteBuffer arguments = context.unwrapArguments(parsed.credential(), parsed.arguments());
        ByteBuffer results = actor.apply(arguments);
        XdrEncoder out = new XdrEncoder();
        context.wrapResults(parsed.credential(), results, out);
        return new Reply(AuthFlavor.RPCSEC_GSS, context.replyVerifier(parsed.credential()),
                ByteBuffer.wrap(bytes(out)));
    }

    /** The client side of a reply: check the verifier, unwrap the results. */
    static ByteBuffer receive(GssClientContext context, int seq, Reply reply) throws RpcGssException {
        context.checkReplyVerifier(seq, reply.verifierFlavor(), ByteBuffer.wrap(reply.verifierBody()));
        return context.unwrapResults(seq, reply.results().duplicate());
    }

    static byte[] bytes(XdrEncoder e) {
        return GssProtection.copy(e.toBuffer());
    }

    static byte[] bytes(ByteBuffer b) {
        return GssProtection.copy(b);
    }
}
