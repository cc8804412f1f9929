"""A nanomsg SUB socket over ctypes on Debian's libnanomsg (nn.h, pubsub.h):
an independent subscriber for the switch's notifications tests."""
import ctypes
import os
import sys
import time

nn = ctypes.CDLL("libnanomsg.so.5", use_errno=True)
AF_SP, NN_SUB, NN_SUB_SUBSCRIBE, NN_SOL_SOCKET, NN_RCVTIMEO = 1, 33, 1, 0, 5
NN_RCVBUF = 3
NN_MSG = ctypes.c_size_t(-1).value
nn.nn_recv.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
nn.nn_freemsg.argtypes = [ctypes.c_void_p]


class Sub:
    def __init__(self, addr):
        self.s = nn.nn_socket(AF_SP, NN_SUB)
        assert self.s >= 0
        nn.nn_setsockopt(self.s, NN_SUB, NN_SUB_SUBSCRIBE, b"", 0)
        rcvbuf = ctypes.c_int(4 << 20)
        nn.nn_setsockopt(self.s, NN_SOL_SOCKET, NN_RCVBUF, ctypes.byref(rcvbuf), 4)
        assert nn.nn_connect(self.s, addr.encode()) >= 0

    def recv(self, timeout_ms):
        """One message (bytes), or None after timeout_ms."""
        t = ctypes.c_int(timeout_ms)
        nn.nn_setsockopt(self.s, NN_SOL_SOCKET, NN_RCVTIMEO, ctypes.byref(t), 4)
        buf = ctypes.c_void_p()
        n = nn.nn_recv(self.s, ctypes.byref(buf), NN_MSG, 0)
        if n < 0:
            return None
        data = ctypes.string_at(buf, n)
        nn.nn_freemsg(buf)
        return data

    def recv_topic(self, topic, timeout_ms):
        end = time.time() + timeout_ms / 1000.0
        while time.time() < end:
            m = self.recv(max(1, int((end - time.time()) * 1000)))
            if os.environ.get("NOTIFY_TRACE"):
                print("recv", m and m[:4], file=sys.stderr)
            if m is not None and m[:4] == topic:
                return m
        return None

    def close(self):
        nn.nn_close(self.s)
