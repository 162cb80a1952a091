"""Positions on the earth: the grid cell a place is filed under, the cells a circle touches, great-circle distance.

The grid has cells of CELL_DEGREES × CELL_DEGREES (about 11 km north–south). A nearby search reads only the cells
its bounding box covers (an indexed `geo_cell IN (...)`), then measures each candidate exactly (haversine) and
keeps those inside the radius. The box is split where it crosses the antimeridian; near a pole it covers every
longitude.
"""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088
CELL_DEGREES = 0.1
COLUMNS = round(360 / CELL_DEGREES)  # cells per row of latitude
ROWS = round(180 / CELL_DEGREES)
KM_PER_DEGREE_LATITUDE = math.pi * EARTH_RADIUS_KM / 180


def _row(latitude: float) -> int:
    return min(ROWS - 1, max(0, math.floor((latitude + 90) / CELL_DEGREES)))


def _column(longitude: float) -> int:
    return math.floor(((longitude + 180) % 360) / CELL_DEGREES) % COLUMNS


def cell_of(latitude: float, longitude: float) -> int:
    """The number of the grid cell that holds this position."""
    return _row(latitude) * COLUMNS + _column(longitude)


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _column_ranges(longitude: float, half_width: float) -> list[tuple[int, int]]:
    """The column spans [first, last] a longitude band covers, split at the antimeridian."""
    if half_width >= 180:
        return [(0, COLUMNS - 1)]
    west, east = _column(longitude - half_width), _column(longitude + half_width)
    if west <= east:
        return [(west, east)]
    return [(west, COLUMNS - 1), (0, east)]


def cells_within(latitude: float, longitude: float, radius_km: float) -> list[int]:
    """Every cell the circle's bounding box touches (a superset of the circle: distances are checked after)."""
    half_height = radius_km / KM_PER_DEGREE_LATITUDE
    south, north = _row(latitude - half_height), _row(latitude + half_height)
    widest = min(89.999, max(abs(latitude - half_height), abs(latitude + half_height)))
    cos_widest = math.cos(math.radians(widest))
    reaches_pole = latitude + half_height >= 90 or latitude - half_height <= -90
    half_width = 180.0 if reaches_pole else min(180.0, half_height / max(cos_widest, 1e-9))
    return [
        row * COLUMNS + column
        for row in range(south, north + 1)
        for first, last in _column_ranges(longitude, half_width)
        for column in range(first, last + 1)
    ]
