#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one raw rtnetlink request and print how the kernel answered.

iproute2 validates much of its input itself, so a bad request never reaches the kernel
through `ip`. This sends exactly the bytes given and prints one line:

    <count> messages, error <errno name or 0>, extack "<message>"

so that a guest test can compare the kernel's own answer on both stacks.

usage: nlprobe.py [--no-strict] MSGTYPE FLAGS HEXPAYLOAD
       nlprobe.py --serve
  MSGTYPE: a number or RTM_* name; FLAGS: dump|ack|create|excl|replace joined by '+'
  --serve: read one request's arguments per line from stdin, answer each with its
  line (a fresh socket per request, as if the program ran once per line). A guest
  test starts one of these instead of a Python per request (tests/lib.sh `probe`).
"""
import errno
import os
import socket
import struct
import sys

NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F = {"request": 0x1, "ack": 0x4, "dump": 0x300, "replace": 0x100,
         "excl": 0x200, "create": 0x400}
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSGERR_ATTR_MSG = 1
SOL_NETLINK, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK = 270, 11, 12
RTM = {"RTM_NEWLINK": 16, "RTM_GETLINK": 18, "RTM_NEWADDR": 20, "RTM_DELADDR": 21,
       "RTM_GETADDR": 22, "RTM_NEWROUTE": 24, "RTM_DELROUTE": 25, "RTM_GETROUTE": 26}


def tlvs(buf):
    out, off = {}, 0
    while off + 4 <= len(buf):
        ln, ty = struct.unpack_from("=HH", buf, off)
        if ln < 4:
            break
        out[ty & 0x3FFF] = buf[off + 4:off + ln]
        off += (ln + 3) & ~3
    return out


def answer(msg, flags, after):
    """Error code and extack text of an NLMSG_ERROR/NLMSG_DONE payload."""
    err = struct.unpack_from("=i", msg, 16)[0] if len(msg) >= 20 else 0
    text = ""
    if flags & NLM_F_ACK_TLVS:
        attrs = tlvs(msg[after:])
        text = attrs.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode()
    return err, text


def main(argv):
    strict = True
    if argv and argv[0] == "--no-strict":
        strict, argv = False, argv[1:]
    mtype = RTM.get(argv[0]) or int(argv[0], 0)
    flags = NLM_F["request"]
    for f in filter(None, argv[1].split("+")):
        flags |= NLM_F[f]
    payload = bytes.fromhex(argv[2])
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    if strict:
        s.setsockopt(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1)
    s.bind((0, 0))
    s.send(struct.pack("=IHHII", 16 + len(payload), mtype, flags, 1, 0) + payload)
    count = 0
    while True:
        data = s.recv(1 << 16)
        off = 0
        while off + 16 <= len(data):
            ln, ty, fl = struct.unpack_from("=IHH", data, off)
            msg = data[off:off + ln]
            if ty == NLMSG_ERROR:
                # struct nlmsgerr: error, then the request's header (and payload unless
                # capped), then the extack attributes.
                inner = struct.unpack_from("=I", msg, 20)[0] if len(msg) >= 24 else 16
                after = 20 + (16 if fl & NLM_F_CAPPED else (inner + 3) & ~3)
                err, text = answer(msg, fl, after)
                return report(count, err, text)
            if ty == NLMSG_DONE:
                err, text = answer(msg, fl, 20)
                return report(count, err, text)
            count += 1
            off += (ln + 3) & ~3


def report(count, err, text):
    name = errno.errorcode.get(-err, str(err)) if err else "0"
    print(f'{count} messages, error {name}, extack "{text}"', flush=True)
    return 0


def serve():
    for line in sys.stdin:
        try:
            main(line.split())
        except Exception as ex:  # a bad request line must not end the server
            print(f"nlprobe: {type(ex).__name__}: {ex}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(serve() if sys.argv[1:] == ["--serve"] else main(sys.argv[1:]))
