"""livekit.yaml keeps the development SFU on loopback: nothing it listens on is reachable from outside."""

from __future__ import annotations

import os
from pathlib import Path

from procus.config import PROJECT_ROOT
from tests.support.livekit_server import run_livekit_server

_LISTEN = "0A"


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _address(hex_address: str) -> str:
    host, port = hex_address.split(":")
    if len(host) == 8:
        octets = [str(int(host[i : i + 2], 16)) for i in range(6, -1, -2)]
        return f"{'.'.join(octets)}:{int(port, 16)}"
    return f"[{host}]:{int(port, 16)}"


def _bound(pid: int, table: str, *, listening_only: bool) -> list[str]:
    """Local addresses of ``pid``'s sockets in /proc/net/``table`` (tcp, tcp6, udp, udp6)."""
    inodes = _socket_inodes(pid)
    found = []
    for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[9] in inodes and (not listening_only or fields[3] == _LISTEN):
            found.append(_address(fields[1]))
    return found


def test_the_development_livekit_listens_on_loopback_only(tmp_path: Path) -> None:
    with run_livekit_server(tmp_path, base_config=PROJECT_ROOT / "livekit.yaml") as server:
        pid = server.process.pid
        tcp = _bound(pid, "tcp", listening_only=True) + _bound(pid, "tcp6", listening_only=True)
        udp = _bound(pid, "udp", listening_only=False) + _bound(pid, "udp6", listening_only=False)
    assert tcp, "the HTTP port at least"
    assert all(address.startswith("127.0.0.1:") for address in tcp), tcp
    assert all(address.startswith("127.0.0.1:") for address in udp), udp
