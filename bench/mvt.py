"""Count the features of a Mapbox Vector Tile without a protobuf library (the format is
small: Tile.layers = field 3; Layer.name = 1, Layer.features = 2)."""

import gzip


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(buf: bytes):
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 2:
            length, pos = _varint(buf, pos)
            value, pos = buf[pos : pos + length], pos + length
        elif wire == 1:
            value, pos = buf[pos : pos + 8], pos + 8
        elif wire == 5:
            value, pos = buf[pos : pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        yield number, value


def feature_counts(tile: bytes) -> dict[str, int]:
    """Features per layer name."""
    if tile[:2] == b"\x1f\x8b":
        tile = gzip.decompress(tile)
    counts = {}
    for number, layer in _fields(tile):
        if number != 3:
            continue
        name, features = "", 0
        for field, value in _fields(layer):
            if field == 1:
                name = bytes(value).decode()
            elif field == 2:
                features += 1
        counts[name] = counts.get(name, 0) + features
    return counts
