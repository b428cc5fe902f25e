#!/usr/bin/python3
"""Prints each executable of a .strata artifact, one line each:
"executable N: FORMAT for PROCESSOR, BYTES bytes[, ELF]: SYMBOL, ..." (the
manifest's offset and size are at bytes 16 and 24 of the header; see
docs/artifact-format.md)."""

import json
import struct
import sys

with open(sys.argv[1], "rb") as f:
    data = f.read()
offset, size = struct.unpack_from("<QQ", data, 16)
manifest = json.loads(data[offset:offset + size])
for index, executable in enumerate(manifest["executables"]):
    blob = manifest["blobs"][executable["blob"]]
    symbols = ", ".join(k["symbol"] for k in executable["kernels"])
    elf = data[blob["offset"]:blob["offset"] + 4] == b"\x7fELF"
    print(f"executable {index}: {executable['format']} for "
          f"{executable.get('processor', '')}, {blob['size']} bytes"
          f"{', ELF' if elf else ''}: {symbols}")
