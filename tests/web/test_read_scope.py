"""The dashboard reads in a read-only scope: on SQLite it holds no write lock, so workers never wait for it."""

from __future__ import annotations

from sqlalchemy import func, select

from registry.db import read_scope
from registry.models import Vendor
from vendorwatch.app import App


def test_a_write_goes_through_while_a_page_read_is_open_and_the_read_keeps_its_snapshot(web_app: App) -> None:
    with web_app.session() as s:
        s.add(Vendor(name="Okta"))
    with read_scope(web_app.engine) as reader:
        assert reader.execute(select(func.count()).select_from(Vendor)).scalar() == 1
        with web_app.session() as writer:  # BEGIN IMMEDIATE: would wait out the busy timeout behind a writer
            writer.add(Vendor(name="Duo"))
        assert reader.execute(select(func.count()).select_from(Vendor)).scalar() == 1
    with read_scope(web_app.engine) as reader:
        assert reader.execute(select(func.count()).select_from(Vendor)).scalar() == 2
