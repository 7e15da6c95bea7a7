#!/usr/bin/env python3
"""Baseline for bench/scan_bench.sh: the obvious stdlib asyncio TLS prober.

Reads a certdash targets file (`host:port address=IP` lines), opens a fresh TLS connection per
target with SNI = host and no verification, reads the leaf certificate (DER) and closes, with at
most CONCURRENCY probes in flight. Prints `probes=N ok=K failed=F` on stdout.

    asyncio_probe.py TARGETS CONCURRENCY [TIMEOUT]
"""
import asyncio
import ssl
import sys


def parse_targets(path):
    targets = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            host, port = fields[0].rsplit(":", 1)
            address = host
            for kv in fields[1:]:
                if kv.startswith("address="):
                    address = kv.split("=", 1)[1]
            targets.append((host, address, int(port)))
    return targets


async def probe(ctx, sem, host, address, port, timeout):
    async with sem:
        writer = None
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(address, port, ssl=ctx, server_hostname=host),
                timeout)
            der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
            return der is not None and len(der) > 0
        except (OSError, asyncio.TimeoutError, ssl.SSLError):
            return False
        finally:
            if writer is not None:
                writer.close()
                try:
                    await writer.wait_closed()
                except (OSError, ssl.SSLError):
                    pass


async def main():
    path, concurrency = sys.argv[1], int(sys.argv[2])
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    sem = asyncio.Semaphore(concurrency)
    targets = parse_targets(path)
    results = await asyncio.gather(
        *(probe(ctx, sem, h, a, p, timeout) for h, a, p in targets))
    ok = sum(1 for r in results if r)
    print(f"probes={len(results)} ok={ok} failed={len(results) - ok}")


if __name__ == "__main__":
    asyncio.run(main())
