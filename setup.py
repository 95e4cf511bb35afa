"""Which packages go into the wheel: the code, and config/ shipped inside it as `vendorwatch._config`.

pyproject.toml cannot combine package discovery with a folder installed under another name; the rest of the
build's settings live there.
"""

from setuptools import find_namespace_packages, setup

CODE = ["vendorwatch*", "registry*", "connectors*", "notify*", "reports*"]
# config/'s sub-folders are listed too (as data-only packages), else setuptools warns they would be ignored.
DATA = ["vendorwatch._config", *(f"vendorwatch._config.{name}" for name in find_namespace_packages(where="config"))]

setup(
    packages=[*find_namespace_packages(include=CODE), *DATA],
    package_dir={"vendorwatch._config": "config"},
)
