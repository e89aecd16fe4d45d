"""The animation: the timeline drawn with the slides' cartography, as MP4 and GIF."""

__all__: list[str] = []
