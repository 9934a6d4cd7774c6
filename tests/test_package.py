"""The package's own examples: what `help(khabar)` shows must run."""

from __future__ import annotations


def test_doctests_of_the_package_and_times() -> None:
    import doctest

    import khabar
    import khabar.times

    for module in (khabar, khabar.times):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
