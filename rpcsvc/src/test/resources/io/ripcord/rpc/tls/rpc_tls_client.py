# The RPC-with-TLS (RFC 9289) test client that is not the JDK: OpenSSL through Python's ssl module.
# It sends the AUTH_TLS probe as raw bytes, checks the STARTTLS verifier, wraps the same socket with TLS 1.3 and
# ALPN "sunrpc", then makes GF-DUMP and KV calls, printing one line per step for RpcTlsPythonPeersTest.
# Usage: rpc_tls_client.py HOST PORT CA.pem [CERT.pem KEY.pem]
import socket
import ssl
import struct
import sys

from rpc_wire import (ALPN, AUTH_NONE, AUTH_TLS, GF_DUMP, GF_DUMP_DUMP, GF_DUMP_PING, GF_DUMP_VERSION, KV, KV_GET,
                      KV_PUT, STARTTLS, Reader, call, opaque, parse_reply, read_record)

host, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
raw = socket.create_connection((host, port), timeout=10)
raw.sendall(call(1, GF_DUMP, GF_DUMP_VERSION, 0, flavor=AUTH_TLS))
xid, flavor, verifier, stat, _ = parse_reply(read_record(raw))
if (xid, flavor, verifier, stat) != (1, AUTH_NONE, STARTTLS, 0):
    sys.exit("no STARTTLS: xid %d verifier %d %r accept_stat %d" % (xid, flavor, verifier, stat))
print("probe STARTTLS")

context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.minimum_version = ssl.TLSVersion.TLSv1_3
context.set_alpn_protocols([ALPN])
context.load_verify_locations(cafile)
if len(sys.argv) > 5:
    context.load_cert_chain(sys.argv[4], sys.argv[5])
tls = context.wrap_socket(raw, server_hostname="localhost")
print("tls", tls.version(), tls.selected_alpn_protocol())


def rpc(xid, prog, vers, proc, args=b""):
    tls.sendall(call(xid, prog, vers, proc, args))
    rxid, _, _, rstat, results = parse_reply(read_record(tls))
    if rxid != xid or rstat != 0:
        sys.exit("call %d: xid %d accept_stat %d" % (xid, rxid, rstat))
    return Reader(results)


r = rpc(2, GF_DUMP, GF_DUMP_VERSION, GF_DUMP_PING)
print("ping", r.u32(), r.u32(), len(r.opaque()))

r = rpc(3, GF_DUMP, GF_DUMP_VERSION, GF_DUMP_DUMP, struct.pack(">Q", 0))
r.u64()
r.u32(), r.u32()
names = []
while r.u32():
    names.append(r.opaque().decode())
    r.u64(), r.u64()
print("dump", ",".join(names))

r = rpc(4, KV, 1, KV_PUT, opaque(b"colour") + opaque(b"blue"))
print("put", r.u32())
r = rpc(5, KV, 1, KV_GET, opaque(b"colour"))
print("get", r.u32(), r.opaque().decode())

if len(sys.argv) > 6:
    prog, vers, proc = (int(a, 0) for a in sys.argv[6].split(":"))
    print("who", rpc(6, prog, vers, proc).opaque().decode())
tls.close()
