"""The one compiled part of khabar, optional: the CRF tagger's array work in C
(`src/khabar/extract/_crf_kernel.c`). Everything else is in pyproject.toml.

Built by `pip install -e .` (or any install from source) where a C compiler is found; without
one the install goes on and the tagger uses its numpy path, which gives the same tags and
entities (`KHABAR_PURE_PYTHON=1` chooses that path even where the module was built).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "khabar.extract._crf_kernel",
            ["src/khabar/extract/_crf_kernel.c"],
            optional=True,  # no compiler, or a failed build: a warning, not an error
        )
    ]
)
