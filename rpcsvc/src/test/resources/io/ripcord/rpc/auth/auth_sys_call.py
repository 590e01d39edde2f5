# One ONC RPC call with an AUTH_SYS credential over a Unix domain socket, printing the reply as words
# (xid, REPLY, reply_stat, ...): the client of UnixPeerCheckTest that runs as another user.
# Usage: python3 -c "$(cat auth_sys_call.py)" SOCKET PROG VERS PROC UID GID
import socket
import struct
import sys

path, prog, vers, proc, uid, gid = sys.argv[1], *(int(a, 0) for a in sys.argv[2:7])
machine = b"peer-check"
cred = struct.pack(">II", 0, len(machine)) + machine + b"\0" * (-len(machine) % 4) + struct.pack(">III", uid, gid, 0)
call = struct.pack(">IIIIII", 0x5EC, 0, 2, prog, vers, proc) + struct.pack(">II", 1, len(cred)) + cred \
    + struct.pack(">II", 0, 0)
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
    s.settimeout(10)
    s.connect(path)
    s.sendall(struct.pack(">I", 0x80000000 | len(call)) + call)
    header = b""
    while len(header) < 4:
        header += s.recv(4 - len(header))
    length = struct.unpack(">I", header)[0] & 0x7FFFFFFF
    reply = b""
    while len(reply) < length:
        chunk = s.recv(length - len(reply))
        if not chunk:
            break
        reply += chunk
print(" ".join(str(w) for w in struct.unpack(">%dI" % (len(reply) // 4), reply[: len(reply) // 4 * 4])))
