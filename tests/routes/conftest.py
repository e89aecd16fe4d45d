"""Fixtures for the routes package: the six-node synthetic network."""

from __future__ import annotations

import pytest

from tests.routes.networks import six_node_network


@pytest.fixture(scope="module")
def six():
    """The network of :func:`tests.routes.networks.six_node_network`."""
    return six_node_network()
