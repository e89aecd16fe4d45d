"""routemap package."""
