"""Fixtures for the scale tests."""

from tests.slack_standin import slack_standin  # noqa: F401 (fixture)
