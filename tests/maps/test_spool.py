"""The spool: rendered files on disk, read back one at a time; a build's outputs kept unread."""

from __future__ import annotations

import pytest

from routemap.maps.spool import Outputs, Spool


def test_a_spool_reads_back_what_was_added_in_order():
    spool = Spool()
    spool.add("slide.png", b"png")
    spool.add("slides/a.png", b"a")
    spool.add("slide.png", b"again")  # replaces, and its old file goes
    assert list(spool) == ["slides/a.png", "slide.png"]
    assert (spool["slide.png"], spool["slides/a.png"], spool.size("slide.png")) == (b"again", b"a", 5)
    assert sorted(p.name for p in spool.folder.iterdir()) == sorted(
        [spool.path("slide.png").name, spool.path("slides/a.png").name])
    assert "slides/b.png" not in spool and len(spool) == 2


def test_a_closed_or_forgotten_spool_leaves_no_files():
    spool = Spool()
    spool.add("slide.png", b"png")
    folder = spool.folder
    spool.close()
    assert not folder.exists() and len(spool) == 0
    other = Spool()
    other.add("slide.png", b"png")
    folder = other.folder
    del other
    assert not folder.exists()


def test_a_spool_takes_only_its_own_files(tmp_path):
    spool = Spool()
    outside = tmp_path / "x.png"
    outside.write_bytes(b"x")
    with pytest.raises(ValueError, match="not in the spool folder"):
        spool.add_file("x.png", outside)


def test_outputs_keep_spooled_files_on_disk_until_read():
    """Merging and selecting never read a spooled file: what is read is what is on disk then."""
    spool = Spool()
    spool.add("slides/a.png", b"first")
    spool.add("slides/b.png", b"b")
    files = Outputs()
    files.merge({"map.html": b"<html>"})
    files.merge(spool)
    spool.path("slides/a.png").write_bytes(b"changed on disk")
    chosen = files.select(["slides/a.png", "map.html"])
    both = Outputs()
    both.merge(chosen, prefix="en/")
    both["manifest.json"] = b"{}"
    assert dict(both.items()) == {"en/slides/a.png": b"changed on disk", "en/map.html": b"<html>",
                                  "manifest.json": b"{}"}
    assert list(files) == ["map.html", "slides/a.png", "slides/b.png"]
