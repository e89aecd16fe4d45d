"""What a build is asked for: the output formats, their file names, the slide size and workers."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_FORMATS", "FORMATS", "OUTPUT_NAMES", "RenderOptions", "parse_formats"]

FORMATS: tuple[str, ...] = ("html", "png", "svg", "pdf", "pptx", "geojson", "gpkg", "kml", "kmz", "csv")
DEFAULT_FORMATS: tuple[str, ...] = tuple(f for f in FORMATS if f != "kmz")
OUTPUT_NAMES: dict[str, str] = {
    "html": "map.html", "png": "slide.png", "svg": "slide.svg", "pdf": "slide.pdf",
    "pptx": "briefing.pptx", "geojson": "routes.geojson", "gpkg": "routes.gpkg",
    "kml": "routes.kml", "kmz": "routes.kmz", "csv": "legs.csv",
}

@dataclass(frozen=True)
class RenderOptions:
    """How outputs are rendered: which formats, the slide size in pixels and dpi, and how
    many processes draw the slides (see :func:`routemap.maps.slides.render.render_slides`)."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    size: tuple[int, int] = (1920, 1080)
    dpi: int = 150
    workers: int = 1


def parse_formats(text: str) -> tuple[str, ...]:
    """Parse a comma-separated format list (``all`` means every format).

    Raises
    ------
    ValueError
        Naming the unknown format and listing the known ones.
    """
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    if words == ["all"]:
        return FORMATS
    unknown = [w for w in words if w not in FORMATS]
    if unknown or not words:
        raise ValueError(f"unknown format {', '.join(map(repr, unknown)) or '(none given)'}; "
                         f"choose from {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in words)


