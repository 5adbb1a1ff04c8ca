"""The one build step pyproject.toml cannot declare: the project-wide templates/ and static/
directories, which stay at the top of the repository, travel inside the installed package as
mentorat/_site/ (the settings look there first). Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SITE_DIRECTORIES = ("templates", "static")


class BuildWithSiteFiles(build_py):
    def run(self):
        super().run()
        # An editable install imports the checkout, whose own directories the settings find.
        if self.editable_mode:
            return
        for name in SITE_DIRECTORIES:
            target = Path(self.build_lib) / "mentorat" / "_site" / name
            # build/ may hold an older copy: files deleted from the repository must go too.
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target)


setup(cmdclass={"build_py": BuildWithSiteFiles})
