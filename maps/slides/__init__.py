"""routemap.maps.slides: briefing slides (PNG, SVG, PDF) drawn with matplotlib, and the PowerPoint deck."""
