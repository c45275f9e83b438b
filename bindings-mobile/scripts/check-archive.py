#!/usr/bin/env python3
"""Checks that a static library holds objects for the platform it was built for.

Usage: check-archive.py LIB.a TARGET-TRIPLE

Reads the archive's members (the `ar` format) and the headers of the first member of
the binding's own crate: an ELF machine for Android, a Mach-O CPU type and the
platform (LC_BUILD_VERSION, or LC_VERSION_MIN_IPHONEOS for a device) for Apple. Prints one line and
exits non-zero on a mismatch. No Xcode or NDK is needed.
"""
import struct
import sys

ELF_MACHINES = {"aarch64": 183, "armv7": 40, "x86_64": 62, "i686": 3}
MACHO_ARM64 = 0x0100000C
LC_BUILD_VERSION = 0x32
LC_VERSION_MIN_IPHONEOS = 0x25  # older form of the same information: an iOS device
PLATFORM_IOS, PLATFORM_IOS_SIMULATOR = 2, 7


def members(data):
    """Yields (name, bytes) of a System V / GNU or BSD ar archive."""
    if not data.startswith(b"!<arch>\n"):
        raise SystemExit("not an ar archive")
    pos, names = 8, b""
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        name = header[:16].rstrip()
        size = int(header[48:58].strip())
        body = data[pos + 60:pos + 60 + size]
        if name.startswith(b"#1/"):  # BSD: the name precedes the body
            n = int(name[3:])
            name, body = body[:n].rstrip(b"\0"), body[n:]
        elif name == b"//":
            names = body
        elif name.startswith(b"/") and name[1:].isdigit():
            off = int(name[1:])
            name = names[off:names.index(b"/\n", off)]
        yield name.rstrip(b"/").decode("utf-8", "replace"), body
        pos += 60 + size + (size & 1)


def build_platform(obj):
    ncmds = struct.unpack_from("<I", obj, 16)[0]
    off = 32
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", obj, off)
        if cmd == LC_BUILD_VERSION:
            return struct.unpack_from("<I", obj, off + 8)[0]
        if cmd == LC_VERSION_MIN_IPHONEOS:
            return PLATFORM_IOS
        off += size
    return None


def main():
    path, triple = sys.argv[1], sys.argv[2]
    data = open(path, "rb").read()
    obj = next((b for n, b in members(data) if n.startswith("jiko_onboarding_mobile") and n.endswith(".o")), None)
    if obj is None:
        raise SystemExit(f"{path}: no object of the binding's crate")
    arch = triple.split("-")[0]
    if "android" in triple:
        if obj[:4] != b"\x7fELF":
            raise SystemExit(f"{path}: not ELF objects")
        machine = struct.unpack_from("<H", obj, 18)[0]
        if machine != ELF_MACHINES[arch]:
            raise SystemExit(f"{path}: ELF machine {machine}, expected {ELF_MACHINES[arch]} for {triple}")
        print(f"{path}: ELF objects for {arch} ({len(data)} bytes)")
    elif "apple-ios" in triple:
        magic, cpu = struct.unpack_from("<II", obj, 0)
        if magic != 0xFEEDFACF or cpu != MACHO_ARM64:
            raise SystemExit(f"{path}: not 64-bit arm64 Mach-O objects")
        want = PLATFORM_IOS_SIMULATOR if triple.endswith("-sim") else PLATFORM_IOS
        got = build_platform(obj)
        if got != want:
            raise SystemExit(f"{path}: Mach-O platform {got}, expected {want} for {triple}")
        kind = "iOS simulator" if want == PLATFORM_IOS_SIMULATOR else "iOS device"
        print(f"{path}: arm64 Mach-O objects, platform {got} ({kind}) ({len(data)} bytes)")
    else:
        raise SystemExit(f"unsupported triple {triple}")


if __name__ == "__main__":
    main()
