"""What a build is asked for: the output formats, their file names, the slide size, the
workers and the output's language."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_FORMATS", "FORMATS", "OUTPUT_NAMES", "RenderOptions", "parse_formats"]

FORMATS: tuple[str, ...] = ("html", "png", "svg", "pdf", "pptx", "geojson", "gpkg", "kml", "kmz", "csv",
                            "mp4", "gif")
#: Written on request only: the KMZ, and the animation (it takes the longest to render).
DEFAULT_FORMATS: tuple[str, ...] = tuple(f for f in FORMATS if f not in {"kmz", "mp4", "gif"})
OUTPUT_NAMES: dict[str, str] = {
    "html": "map.html", "png": "slide.png", "svg": "slide.svg", "pdf": "slide.pdf",
    "pptx": "briefing.pptx", "geojson": "routes.geojson", "gpkg": "routes.gpkg",
    "kml": "routes.kml", "kmz": "routes.kmz", "csv": "legs.csv",
    "mp4": "animation.mp4", "gif": "animation.gif",
}


@dataclass(frozen=True)
class RenderOptions:
    """How outputs are rendered: which formats, the slide size in pixels and dpi, how many
    processes draw the slides (see :func:`routemap.maps.slides.render.render_slides`), and the
    language every word of the outputs is written in.

    Attributes
    ----------
    language : str
        An output language code among ``routemap.maps.language.available_languages()``
        (default English). The scenario's texts are written in it where the scenario gives
        them in it, else in the scenario's own language.
    cache : bool
        Reuse the slides drawn by an earlier build when nothing that makes them changed, and
        keep the ones drawn (``routemap.maps.slides.slidecache``; ``--no-cache`` turns it off);
        likewise the web map's basemap (``routemap.maps.web.basemapcache``).

    Raises
    ------
    LanguageError
        On creation, if routemap cannot write ``language`` (the message names the languages
        it can write).
    """

    formats: tuple[str, ...] = DEFAULT_FORMATS
    size: tuple[int, int] = (1920, 1080)
    dpi: int = 150
    workers: int = 1
    language: str = "en"  # language.DEFAULT_LANGUAGE; Babel loads only once a build starts
    cache: bool = True

    def __post_init__(self) -> None:
        from routemap.maps.language import load_language  # Babel, loaded once a build starts

        load_language(self.language)


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


