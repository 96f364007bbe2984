#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""UDP streams for the interop tests.

  udpecho.py serve PORT            echo every datagram to its sender (IPv6 and IPv4),
                                   until killed
  udpecho.py send ADDR PORT N SIZE send N datagrams of SIZE bytes to ADDR, 10 ms
                                   apart, and print how many came back
"""
import select
import socket
import sys
import time


def serve(port):
    socks = []
    for fam, any_addr in ((socket.AF_INET6, "::"), (socket.AF_INET, "0.0.0.0")):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((any_addr, port))
        socks.append(s)
    while True:
        for s in select.select(socks, [], [])[0]:
            data, peer = s.recvfrom(65536)
            s.sendto(data, peer)


def send(addr, port, n, size):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.connect((addr, port))
    got = 0
    for i in range(n):
        s.send(i.to_bytes(4, "big") + bytes(size - 4))
        time.sleep(0.01)
    end = time.time() + 3
    s.settimeout(0.5)
    while got < n and time.time() < end:
        try:
            if len(s.recv(65536)) == size:
                got += 1
        except (socket.timeout, ConnectionRefusedError):
            pass
    print(f"udp {addr}: {n} sent, {got} echoed")
    return got == n


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        sys.exit(0 if send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])) else 1)
