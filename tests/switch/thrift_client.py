"""A Thrift client of BMv2's runtime RPC for the switch tests, written by hand
over python3-thrift (Debian's python3-thrift): TBinaryProtocol over a buffered
socket transport, multiplexed by service name as BMv2's runtime_CLI does. No
generated code: arguments are written and results read generically, so the
test checks the wire format on its own terms.

Arguments are lists of (field id, TType, value); a struct value is such a list,
a list value is (element TType, [items]). Results come back as Python values:
structs as {field id: value}, binaries as bytes.
"""
import socket
import struct

from thrift.Thrift import TApplicationException, TMessageType, TType
from thrift.protocol import TBinaryProtocol, TMultiplexedProtocol
from thrift.transport import TSocket, TTransport


class ThriftError(Exception):
    """A declared exception of the IDL (InvalidTableOperation, ...): code is
    its field 1."""

    def __init__(self, code):
        super().__init__("exception code %r" % (code,))
        self.code = code


def write_val(p, t, v):
    if t == TType.BOOL:
        p.writeBool(v)
    elif t == TType.BYTE:
        p.writeByte(v)
    elif t == TType.I16:
        p.writeI16(v)
    elif t == TType.I32:
        p.writeI32(v)
    elif t == TType.I64:
        p.writeI64(v)
    elif t == TType.DOUBLE:
        p.writeDouble(v)
    elif t == TType.STRING:
        if isinstance(v, bytes):
            p.writeBinary(v)
        else:
            p.writeString(v)
    elif t == TType.STRUCT:
        write_struct(p, v)
    elif t == TType.LIST:
        et, items = v
        p.writeListBegin(et, len(items))
        for it in items:
            write_val(p, et, it)
        p.writeListEnd()
    else:
        raise ValueError("type %d" % t)


def write_struct(p, fields):
    p.writeStructBegin("args")
    for fid, t, v in fields:
        p.writeFieldBegin("f%d" % fid, t, fid)
        write_val(p, t, v)
        p.writeFieldEnd()
    p.writeFieldStop()
    p.writeStructEnd()


def read_val(p, t):
    if t == TType.BOOL:
        return p.readBool()
    if t == TType.BYTE:
        return p.readByte()
    if t == TType.I16:
        return p.readI16()
    if t == TType.I32:
        return p.readI32()
    if t == TType.I64:
        return p.readI64()
    if t == TType.DOUBLE:
        return p.readDouble()
    if t == TType.STRING:
        return p.readBinary()
    if t == TType.STRUCT:
        return read_struct(p)
    if t in (TType.LIST, TType.SET):
        et, n = p.readListBegin() if t == TType.LIST else p.readSetBegin()
        v = [read_val(p, et) for _ in range(n)]
        p.readListEnd() if t == TType.LIST else p.readSetEnd()
        return v
    if t == TType.MAP:
        kt, vt, n = p.readMapBegin()
        v = {}
        for _ in range(n):
            k = read_val(p, kt)
            v[k] = read_val(p, vt)
        p.readMapEnd()
        return v
    raise ValueError("type %d" % t)


def read_struct(p):
    d = {}
    p.readStructBegin()
    while True:
        _, t, fid = p.readFieldBegin()
        if t == TType.STOP:
            break
        d[fid] = read_val(p, t)
        p.readFieldEnd()
    p.readStructEnd()
    return d


class Client:
    def __init__(self, port, host="127.0.0.1", timeout_s=10, strict=True):
        """strict=False writes Thrift's older non-strict messages."""
        sock = TSocket.TSocket(host, port)
        sock.setTimeout(timeout_s * 1000)
        self.trans = TTransport.TBufferedTransport(sock)
        self.proto = TBinaryProtocol.TBinaryProtocol(self.trans, strictRead=False,
                                                     strictWrite=strict)
        self.trans.open()
        self.seq = 0

    def close(self):
        self.trans.close()

    def call(self, service, method, args=()):
        """Calls service:method; returns the result (None for void), raises
        ThriftError or TApplicationException."""
        p = TMultiplexedProtocol.TMultiplexedProtocol(self.proto, service)
        self.seq += 1
        p.writeMessageBegin(method, TMessageType.CALL, self.seq)
        write_struct(p, args)
        p.writeMessageEnd()
        self.trans.flush()
        name, mtype, seq = self.proto.readMessageBegin()
        if mtype == TMessageType.EXCEPTION:
            x = TApplicationException()
            x.read(self.proto)
            self.proto.readMessageEnd()
            raise x
        res = read_struct(self.proto)
        self.proto.readMessageEnd()
        if name != method or seq != self.seq:
            raise ValueError("reply %s/%d to %s/%d" % (name, seq, method, self.seq))
        for fid, v in res.items():
            if fid != 0:
                raise ThriftError(v.get(1) if isinstance(v, dict) else v)
        return res.get(0)


def code_of(f):
    """The code of the ThriftError that calling f() raises, or None."""
    try:
        f()
    except ThriftError as e:
        return e.code
    return None


# Shorthands for arguments.
def i32(fid, v):
    return (fid, TType.I32, v)


def i64(fid, v):
    return (fid, TType.I64, v)


def s(fid, v):
    return (fid, TType.STRING, v)


def st(fid, fields):
    return (fid, TType.STRUCT, fields)


def blist(fid, items):
    return (fid, TType.LIST, (TType.STRING, items))


def slist(fid, items):
    return (fid, TType.LIST, (TType.STRUCT, items))


def exact(key):
    """BmMatchParam of type EXACT."""
    return [i32(1, 0), st(2, [s(1, key)])]


def lpm(key, plen):
    return [i32(1, 1), st(3, [s(1, key), i32(2, plen)])]


def ternary(key, mask):
    return [i32(1, 2), st(4, [s(1, key), s(2, mask)])]


def mac(m):
    return bytes(int(x, 16) for x in m.split(":"))


def ip4(a):
    return socket.inet_aton(a)


def be(v, n):
    return v.to_bytes(n, "big")


def raw_call_bytes(service_method, args_bytes=b"", seq=1):
    """A CALL message as raw bytes (for malformed-input tests)."""
    name = service_method.encode()
    return struct.pack(">iI", -2147418111, len(name)) + name + struct.pack(">i", seq) + args_bytes
