"""routemap.maps.gis: the files GIS tools read: GeoJSON (RFC 7946), GeoPackage, KML/KMZ and the legs CSV."""
