"""`kg.cluster.parse_cluster` and the KG_CLUSTER setting: what --cluster accepts and refuses."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kg.cluster import ClusterSpec, parse_cluster
from kg.config import Settings


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("tcp://127.0.0.1:8786", ClusterSpec(address="tcp://127.0.0.1:8786")),
        ("tcp://scheduler.internal:8786", ClusterSpec(address="tcp://scheduler.internal:8786")),
        ("tls://[::1]:8786", ClusterSpec(address="tls://[::1]:8786")),
        ("local:2", ClusterSpec(local_workers=2)),
        (" local:16 ", ClusterSpec(local_workers=16)),
    ],
)
def test_cluster_parse_accepts(value: str, expected: ClusterSpec) -> None:
    assert parse_cluster(value) == expected
    assert str(parse_cluster(value)) == value.strip()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("local:0", "at least 1"),
        ("local:", "at least 1"),
        ("local:two", "at least 1"),
        ("local:-1", "at least 1"),
        ("tcp://127.0.0.1", "tcp://host:port"),
        ("tcp://127.0.0.1:70000", "tcp://host:port"),
        ("http://127.0.0.1:8786", "tcp://host:port"),
        ("127.0.0.1:8786", "tcp://host:port"),
        ("tcp://a b:8786", "tcp://host:port"),
        ("", "tcp://host:port"),
    ],
)
def test_cluster_parse_refuses(value: str, words: str) -> None:
    with pytest.raises(ValueError, match=words) as caught:
        parse_cluster(value)
    assert "\n" not in str(caught.value)


def test_cluster_setting_is_checked() -> None:
    assert Settings(cluster="local:3").cluster == "local:3"
    with pytest.raises(ValidationError, match="local:N"):
        Settings(cluster="local")
