"""The message catalogs of routemap's outputs, one gettext ``.po`` per language in
``<code>/LC_MESSAGES/routemap.po`` (read by ``routemap.maps.language``)."""
