"""routemap.maps.web: the self-contained interactive HTML map (folium and Leaflet, every asset inlined)."""
