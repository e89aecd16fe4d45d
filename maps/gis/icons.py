"""Place symbols drawn as small PNG icons for KMZ files, from the one style table.

Google Earth fetches an ``<Icon>`` whose ``href`` is a web address, so a KML that names
Google's own icon server needs the network. A KMZ can carry its icons: these PNGs go inside
it next to ``doc.kml`` and are named by a relative path, so the file works offline and each
kind of place keeps the shape and colours it has on the web map and the slides.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from routemap.maps.style import PLACE_STYLES, PlaceStyle

__all__ = ["ICON_PIXELS", "icon_path", "icon_png", "place_icons"]

ICON_PIXELS = 64
"""Width and height of every icon; Google Earth scales it with the style's ``scale``."""


def icon_path(kind: str) -> str:
    """Return the path of a kind's icon inside the KMZ (``icons/place-depot.png``)."""
    return f"icons/place-{kind}.png"


def _outline(shape: str, size: int) -> list[tuple[float, float]] | None:
    """Return the polygon of a shape in a ``size`` square, or None for a circle."""
    m, c, e = size * 0.12, size / 2, size * 0.88
    arm = size * 0.16
    polygons = {
        "square": [(m, m), (e, m), (e, e), (m, e)],
        "triangle": [(c, m), (e, e - size * 0.06), (m, e - size * 0.06)],
        "diamond": [(c, m), (e, c), (c, e), (m, c)],
        "plus": [(c - arm, m), (c + arm, m), (c + arm, c - arm), (e, c - arm), (e, c + arm),
                 (c + arm, c + arm), (c + arm, e), (c - arm, e), (c - arm, c + arm),
                 (m, c + arm), (m, c - arm), (c - arm, c - arm)],
    }
    if shape == "cross":
        d = arm / 2 ** 0.5 * 2
        return [(m, m + d), (m + d, m), (c, c - d), (e - d, m), (e, m + d), (c + d, c),
                (e, e - d), (e - d, e), (c, c + d), (m + d, e), (m, e - d), (c - d, c)]
    return polygons.get(shape)


def icon_png(style: PlaceStyle, *, size: int = ICON_PIXELS) -> bytes:
    """Draw one place symbol as a PNG with a transparent background.

    Parameters
    ----------
    style : PlaceStyle
        The kind's shape, fill and edge colours.
    size : int
        Width and height in pixels.

    Returns
    -------
    bytes
        The PNG; the same style always gives the same bytes.
    """
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    edge = max(2, size // 12)
    outline = _outline(style.shape, size)
    if outline is None:
        box = (size * 0.14, size * 0.14, size * 0.86, size * 0.86)
        draw.ellipse(box, fill=style.fill, outline=style.edge, width=edge)
    else:
        draw.polygon(outline, fill=style.fill, outline=style.edge, width=edge)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def place_icons() -> dict[str, bytes]:
    """Return every place kind's icon, by its path inside the KMZ."""
    return {icon_path(kind): icon_png(style) for kind, style in PLACE_STYLES.items()}
