"""Egypt's 27 governorates by their real borders, and distances on the ground.

The borders are the GeoJSON the ``egygeo`` package ships (read through its own API, never copied
here); shapely answers which polygon holds a pin. The same features, tagged with our governorate
slugs, are what the console's hot-spot map draws, so the map and the routing agree.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from hotline import reference

# A pin this close to a border polygon but outside every one (the coast road, a jetty, the
# polygons' simplification) belongs to the nearest governorate.
NEAR_KM = 3.0
EARTH_M = 6_371_000.0
CELL_DEG = 0.005  # grid cells of ~555 m (north-south) for the duplicate search's index
_ROW = 100_000  # cells per row: 360 / CELL_DEG = 72,000 fit


@dataclass(frozen=True)
class Found:
    """The governorate a pin falls in; ``inside`` is False when it was the nearest one."""

    slug: str
    inside: bool


@cache
def _features() -> tuple[tuple[str, dict], ...]:
    """(slug, GeoJSON feature) for each governorate, from egygeo."""
    import egygeo

    found = []
    for gov in reference.governorates():
        feature = egygeo.get_boundary(gov.name_en, as_feature=True)
        if feature is None:
            raise LookupError(f"egygeo has no border for {gov.name_en!r} ({gov.slug})")
        found.append((gov.slug, feature))
    return tuple(found)


@cache
def _index():
    from shapely import STRtree, prepare
    from shapely.geometry import shape

    shapes = [shape(feature["geometry"]) for _slug, feature in _features()]
    for polygon in shapes:
        prepare(polygon)
    return STRtree(shapes), shapes, [slug for slug, _feature in _features()]


def in_egypt_box(latitude: float, longitude: float) -> bool:
    """A cheap first check: inside the rectangle around Egypt."""
    return 21.5 <= latitude <= 31.8 and 24.5 <= longitude <= 37.1


def governorate_at(latitude: float, longitude: float) -> Found | None:
    """The governorate holding the point by real borders (or the nearest within NEAR_KM); None
    for a point outside Egypt."""
    from shapely.geometry import Point

    if not in_egypt_box(latitude, longitude):
        return None
    tree, shapes, slugs = _index()
    point = Point(longitude, latitude)
    for index in tree.query(point, predicate="covered_by"):
        return Found(slugs[int(index)], True)
    nearest = int(tree.nearest(point))
    if distance_to_km(shapes[nearest], latitude, longitude) <= NEAR_KM:
        return Found(slugs[nearest], False)
    return None


def distance_to_km(polygon, latitude: float, longitude: float) -> float:
    """Kilometres from a point to the nearest edge of a polygon (small distances)."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    edge = nearest_points(polygon, Point(longitude, latitude))[0]
    return metres(latitude, longitude, edge.y, edge.x) / 1000


def geojson() -> dict:
    """The governorates as one FeatureCollection, each tagged with our slug and both names."""
    features = []
    for slug, feature in _features():
        gov = reference.governorate(slug)
        features.append({"type": "Feature", "geometry": feature["geometry"],
                         "properties": {"slug": slug, "name_ar": gov.name_ar, "name_en": gov.name_en}})
    return {"type": "FeatureCollection", "features": features}


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_M * math.asin(min(1.0, math.sqrt(a)))


def cell(latitude: float, longitude: float) -> int:
    """The grid cell (CELL_DEG square) holding a point: an integer an index can look up."""
    row = int(math.floor((latitude + 90) / CELL_DEG))
    col = int(math.floor((longitude + 180) / CELL_DEG))
    return row * _ROW + col


def cells_within(latitude: float, longitude: float, radius_m: float) -> list[int]:
    """Every cell that may hold a point within ``radius_m`` of the given one."""
    rows = math.ceil(radius_m / (CELL_DEG * 111_320)) or 1
    shrink = max(0.05, math.cos(math.radians(latitude)))
    cols = math.ceil(radius_m / (CELL_DEG * 111_320 * shrink)) or 1
    centre = cell(latitude, longitude)
    return [centre + dr * _ROW + dc for dr in range(-rows, rows + 1) for dc in range(-cols, cols + 1)]


def valid_pin(latitude, longitude) -> tuple[float, float] | None:
    """(lat, long) as floats when they are numbers in range, else None."""
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon
