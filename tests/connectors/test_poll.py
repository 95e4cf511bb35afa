"""poll_sources against a hostile loopback server: bad sources fail clearly, good ones still arrive."""

from __future__ import annotations

import resource

from connectors import FetchState, HttpSettings, PollResult, SourceConfig, SourceError, poll_sources

# A short deadline stands in for the production 30 s so the slow routes end in a few seconds.
FAST = HttpSettings(deadline=2.0, read_timeout=5.0, connect_timeout=2.0)

EXPECTED_ERRORS = {
    "/500": "HTTP 500 Internal Server Error",
    "/429": "HTTP 429 Too Many Requests (retry after 3600 s)",
    "/slow": "timed out after 2 s",
    "/drip": "timed out after 2 s",
    "/laughs": "refused: document declares entities",
    "/huge": "response larger than 10 MB",
    "/gzip-bomb": "response larger than 10 MB after decompression",
    "/binary": "not a feed",
    "/html": "not a feed (HTML page)",
    "/loop": "redirect loop",
    "/empty": "empty response",
}


def _configs(hostile, paths):
    return [SourceConfig(id=path.strip("/"), url=hostile.url(path)) for path in paths]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def test_one_poll_over_every_bad_source_and_two_good_feeds(hostile):
    before = _rss_mb()
    results = poll_sources(_configs(hostile, [*EXPECTED_ERRORS, "/rss", "/atom"]), http_settings=FAST)

    for path, message in EXPECTED_ERRORS.items():
        outcome = results[path.strip("/")]
        assert isinstance(outcome, SourceError), path
        assert message in outcome.message, (path, outcome.message)
    assert results["429"].retry_after == 3600
    assert [item.guid for item in results["rss"].items] == ["okta-1", "https://sec.okta.example/post/2"]
    assert results["atom"].items[0].url == "https://status.vendor.example/incidents/1"
    assert _rss_mb() - before < 300


def test_second_poll_is_conditional_and_parses_nothing(hostile):
    configs = _configs(hostile, ["/rss", "/atom"])
    first = poll_sources(configs, http_settings=FAST)
    states = {sid: result.state for sid, result in first.items() if isinstance(result, PollResult)}
    assert states["rss"] == FetchState(etag='"v1-abc"', last_modified="Wed, 01 May 2024 10:00:00 GMT")

    second = poll_sources(configs, states, http_settings=FAST)

    assert hostile.headers_for("/rss")[-1]["if-none-match"] == '"v1-abc"'
    assert hostile.headers_for("/atom")[-1]["if-modified-since"] == "Wed, 01 May 2024 10:00:00 GMT"
    for result in second.values():
        assert isinstance(result, PollResult) and result.not_modified and result.items == []
        assert result.state.etag == '"v1-abc"'  # validators survive a 304 that repeats only the ETag


def test_an_unknown_kind_fails_alone(hostile):
    configs = [SourceConfig(id="odd", url=hostile.url("/rss"), kind="gopher"), *_configs(hostile, ["/rss"])]
    results = poll_sources(configs, http_settings=FAST)
    assert "unknown source kind 'gopher'" in str(results["odd"])
    assert isinstance(results["rss"], PollResult) and len(results["rss"].items) == 2


def test_errors_name_the_url_without_its_query(hostile):
    results = poll_sources([SourceConfig(id="x", url=hostile.url("/500?token=s3cret"))], http_settings=FAST)
    assert "s3cret" not in str(results["x"])
    assert "/500?…" in str(results["x"])
