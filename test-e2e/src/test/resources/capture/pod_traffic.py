#!/usr/bin/env python3
"""Captures the TCP segments to and from one address and port on every interface of this network namespace (an
AF_PACKET socket, as tcpdump opens), for a number of seconds, and prints each distinct segment that carries a
payload as a JSON line: {"from": "ip:port", "to": "ip:port", "payload": "<hex>"}. The first line, {"ready": true},
says that capturing has begun. A pod's traffic crosses the node's bridge and veths, where this sees it.
Usage: pod_traffic.py IP PORT SECONDS (needs CAP_NET_RAW)."""
import json
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
IPV4 = b"\x08\x00"
TCP = 6


def main():
    address, port, seconds = socket.inet_aton(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.settimeout(0.2)
    print(json.dumps({"ready": True}), flush=True)
    seen = set()
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            frame = sock.recv(65535)
        except socket.timeout:
            continue
        segment = tcp_segment(frame, address, port)
        if segment is None:
            continue
        source, destination, source_port, destination_port, sequence, payload = segment
        # The same segment crosses a veth and the bridge: printed once.
        key = (source, destination, source_port, destination_port, sequence)
        if key not in seen:
            seen.add(key)
            print(json.dumps({"from": "%s:%d" % (socket.inet_ntoa(source), source_port),
                              "to": "%s:%d" % (socket.inet_ntoa(destination), destination_port),
                              "payload": payload.hex()}), flush=True)


def tcp_segment(frame, address, port):
    """(source, destination, source port, destination port, sequence number, payload) of an Ethernet frame's
    IPv4 TCP segment with a payload, to or from address:port; None for any other frame."""
    if len(frame) < 34 or frame[12:14] != IPV4:
        return None
    ip = frame[14:]
    if ip[9] != TCP:
        return None
    header = (ip[0] & 0x0F) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    source, destination = ip[12:16], ip[16:20]
    tcp = ip[header:total]
    if len(tcp) < 20:
        return None
    source_port, destination_port, sequence = struct.unpack("!HHI", tcp[:8])
    if not ((source == address and source_port == port) or (destination == address and destination_port == port)):
        return None
    payload = tcp[(tcp[12] >> 4) * 4:]
    if not payload:
        return None
    return source, destination, source_port, destination_port, sequence, payload


if __name__ == "__main__":
    main()
