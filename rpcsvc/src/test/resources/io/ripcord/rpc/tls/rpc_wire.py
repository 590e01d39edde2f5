# ONC RPC (RFC 5531) by hand, for the RPC-with-TLS (RFC 9289) test peers: record marking, calls and replies as
# XDR words, and the few GF-DUMP and KV (kv.x) encodings the tests use. Shared by rpc_tls_client.py and
# rpc_tls_server.py; Python's standard library only.
import struct

CALL, REPLY = 0, 1
MSG_ACCEPTED, MSG_DENIED = 0, 1
SUCCESS, PROG_UNAVAIL, PROG_MISMATCH, PROC_UNAVAIL = 0, 1, 2, 3
AUTH_ERROR = 1
AUTH_NONE, AUTH_TLS = 0, 7
AUTH_BADCRED = 1
STARTTLS = b"STARTTLS"
ALPN = "sunrpc"
GF_DUMP, GF_DUMP_VERSION, GF_DUMP_DUMP, GF_DUMP_PING = 123451501, 1, 1, 2
KV, KV_PUT, KV_GET = 0x20000B0B, 1, 2


def pad(data):
    return data + b"\0" * (-len(data) % 4)


def opaque(data):
    return struct.pack(">I", len(data)) + pad(data)


def record(message):
    return struct.pack(">I", 0x80000000 | len(message)) + message


def read_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("connection closed after %d of %d bytes" % (len(data), n))
        data += chunk
    return data


def read_record(sock):
    message = b""
    while True:
        header = struct.unpack(">I", read_exactly(sock, 4))[0]
        message += read_exactly(sock, header & 0x7FFFFFFF)
        if header & 0x80000000:
            return message


def call(xid, prog, vers, proc, args=b"", flavor=AUTH_NONE, cred=b""):
    return record(struct.pack(">IIIIII", xid, CALL, 2, prog, vers, proc) + struct.pack(">I", flavor) + opaque(cred)
                  + struct.pack(">II", AUTH_NONE, 0) + args)


class Reader:
    """XDR words and opaques from one message, front to back."""

    def __init__(self, data):
        self.data, self.at = data, 0

    def u32(self):
        (v,) = struct.unpack_from(">I", self.data, self.at)
        self.at += 4
        return v

    def u64(self):
        (v,) = struct.unpack_from(">Q", self.data, self.at)
        self.at += 8
        return v

    def opaque(self):
        n = self.u32()
        v = self.data[self.at:self.at + n]
        self.at += n + (-n % 4)
        return v

    def rest(self):
        return self.data[self.at:]


def parse_reply(message):
    """(xid, verifier flavor, verifier body, accept_stat, results), or raises for a denied reply."""
    r = Reader(message)
    xid, mtype, stat = r.u32(), r.u32(), r.u32()
    if mtype != REPLY:
        raise ValueError("not a reply: %d" % mtype)
    if stat == MSG_DENIED:
        raise PermissionError("denied: %s" % [r.u32() for _ in range(len(r.rest()) // 4)])
    flavor, body = r.u32(), r.opaque()
    return xid, flavor, body, r.u32(), r.rest()


def parse_call(message):
    r = Reader(message)
    xid, mtype, rpcvers, prog, vers, proc = (r.u32() for _ in range(6))
    cred_flavor, cred = r.u32(), r.opaque()
    verf_flavor, verf = r.u32(), r.opaque()
    return {"xid": xid, "type": mtype, "rpcvers": rpcvers, "prog": prog, "vers": vers, "proc": proc,
            "cred_flavor": cred_flavor, "cred": cred, "verf_flavor": verf_flavor, "verf": verf, "args": r.rest()}


def accepted(xid, results=b"", stat=SUCCESS, verifier=b""):
    return record(struct.pack(">III", xid, REPLY, MSG_ACCEPTED) + struct.pack(">I", AUTH_NONE) + opaque(verifier)
                  + struct.pack(">I", stat) + results)


def denied(xid, auth_stat):
    return record(struct.pack(">IIIII", xid, REPLY, MSG_DENIED, AUTH_ERROR, auth_stat))
