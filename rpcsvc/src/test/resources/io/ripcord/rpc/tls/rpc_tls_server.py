# The RPC-with-TLS (RFC 9289) test server that is not the JDK: OpenSSL through Python's ssl module. It answers the
# AUTH_TLS probe with the STARTTLS verifier and runs the TLS 1.3 handshake on the same connection (ALPN "sunrpc",
# client certificates verified against CA.pem with --mtls), then serves GF-DUMP NULL and PING and KV (kv.x) NULL,
# PUT and GET. With --no-tls it knows AUTH_TLS but offers no TLS: the probe gets no STARTTLS. Prints
# "listening PORT", then serves until it is killed.
# Usage: rpc_tls_server.py CERT.pem KEY.pem CA.pem [--mtls | --no-tls]
import socket
import ssl
import struct
import sys
import threading

from rpc_wire import (ALPN, AUTH_BADCRED, AUTH_TLS, GF_DUMP, GF_DUMP_PING, KV, KV_GET, KV_PUT, PROC_UNAVAIL,
                      PROG_UNAVAIL, STARTTLS, Reader, accepted, denied, opaque, parse_call, read_record)

certfile, keyfile, cafile = sys.argv[1:4]
mode = sys.argv[4] if len(sys.argv) > 4 else "--tls"
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.minimum_version = ssl.TLSVersion.TLSv1_3
context.set_alpn_protocols([ALPN])
context.load_cert_chain(certfile, keyfile)
if mode == "--mtls":
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cafile)
store = {}
lock = threading.Lock()


def serve(message, encrypted):
    """The reply to one call, and whether TLS starts after it."""
    c = parse_call(message)
    xid = c["xid"]
    if c["cred_flavor"] == AUTH_TLS:
        if c["proc"] != 0 or c["cred"] or encrypted:
            return denied(xid, AUTH_BADCRED), False
        if mode == "--no-tls":
            return accepted(xid), False
        return accepted(xid, verifier=STARTTLS), True
    args = Reader(c["args"])
    if c["prog"] == GF_DUMP and c["proc"] in (0, GF_DUMP_PING):
        return accepted(xid, b"" if c["proc"] == 0 else struct.pack(">III", 0, 0, 0)), False
    if c["prog"] == KV:
        if c["proc"] == 0:
            return accepted(xid), False
        if c["proc"] == KV_PUT:
            key, value = args.opaque(), args.opaque()
            with lock:
                new = key not in store
                store[key] = value
            return accepted(xid, struct.pack(">I", new)), False
        if c["proc"] == KV_GET:
            with lock:
                value = store.get(args.opaque())
            return accepted(xid, struct.pack(">I", 0) if value is None else struct.pack(">I", 1) + opaque(value)), False
        return accepted(xid, stat=PROC_UNAVAIL), False
    return accepted(xid, stat=PROG_UNAVAIL), False


def connection(sock):
    conn, encrypted = sock, False
    try:
        while True:
            reply, start_tls = serve(read_record(conn), encrypted)
            conn.sendall(reply)
            if start_tls:
                conn = context.wrap_socket(sock, server_side=True)
                if conn.selected_alpn_protocol() != ALPN:
                    raise ssl.SSLError("no ALPN %s agreed (RFC 9289 section 5)" % ALPN)
                encrypted = True
    except (EOFError, OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(16)
print("listening", listener.getsockname()[1], flush=True)
while True:
    client, _ = listener.accept()
    threading.Thread(target=connection, args=(client,), daemon=True).start()
