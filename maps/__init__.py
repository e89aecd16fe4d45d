"""routemap.maps: what people see and what GIS tools read.

Three products, each a subpackage: ``web`` (the self-contained HTML map), ``slides`` (slides
and the briefing deck) and ``gis`` (GeoJSON, GeoPackage, KML, CSV). Beside them, the modules
every product shares (style, options, records, wording, basemap, projection), and ``output``,
which renders the requested formats and writes them atomically with their manifest.
"""
